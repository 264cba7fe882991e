import { spawnSync } from 'node:child_process';

const python = '/usr/bin/python3';

/** Makes Debian's python3-torch importable by /usr/bin/python3 if possible; returns a reason when it is not. */
export function ensureTorch(args: readonly string[]): string | undefined {
  const probe = (): boolean => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  if (probe()) return undefined;
  if (args.includes('--no-torch')) return 'disabled by --no-torch';
  if (args.includes('--no-install')) return `${python} cannot import torch and --no-install was given`;
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) return `${python} cannot import torch and apt-get is not available`;
  if (process.getuid?.() !== 0) return `${python} cannot import torch; run \`apt-get install -y python3-torch\` as root`;
  console.log('bench:perf: installing python3-torch with apt-get (once; this can take a few minutes)…');
  const install = (): boolean => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'python3-torch'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    if (!install()) return 'apt-get install -y python3-torch failed';
  }
  return probe() ? undefined : 'python3-torch was installed but /usr/bin/python3 still cannot import torch';
}
