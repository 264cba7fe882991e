import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One benchmark the `zeroth bench` command can run. */
export interface BenchPlan {
  readonly kind: string;
  /** The command and arguments, or undefined when this installation has no such benchmark. */
  readonly command?: readonly string[];
  readonly why: string;
}

/** The root of the zeroth package this file belongs to (the folder of its package.json). */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string | undefined {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'zeroth') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * What `zeroth bench [kind]` runs, in a source checkout (a clone of the repository, whose `bench/` folder holds
 * the benchmarks): the package's `bench:<kind>` npm script if it has one, else `bench/<kind>/run.ts` with tsx;
 * kinds are `quality`, `perf` and `rl` (quality and perf when none is given). An installed package (`npm install zeroth`) ships
 * no benchmarks: the plan then says so instead of running a script whose files are not there.
 */
export function benchPlans(kinds: readonly string[], extra: readonly string[], root = packageRoot()): BenchPlan[] {
  const scripts = root === undefined ? {} : ((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {});
  return (kinds.length === 0 ? ['quality', 'perf'] : kinds).map((kind): BenchPlan => {
    if (root === undefined) return { kind, why: 'the zeroth package root was not found' };
    const entry = join(root, 'bench', kind, 'run.ts');
    if (!existsSync(entry)) {
      return {
        kind,
        why: `the ${kind} benchmark needs a source checkout of zeroth: this installation (${root}) has no bench/${kind}/run.ts, since the npm package ships no benchmarks. Clone the repository, run npm ci there, then zeroth bench ${kind}`,
      };
    }
    if (scripts[`bench:${kind}`] !== undefined) {
      return { kind, command: ['npm', 'run', `bench:${kind}`, ...(extra.length > 0 ? ['--', ...extra] : [])], why: `npm script bench:${kind}` };
    }
    if (existsSync(join(root, 'node_modules', 'tsx'))) return { kind, command: [process.execPath, '--import', 'tsx', entry, ...extra], why: `bench/${kind}/run.ts` };
    return { kind, why: `bench/${kind}/run.ts needs tsx: run npm ci in ${root} first` };
  });
}

/** Runs the plans in order from the package root; returns the exit code (2 when nothing could run). */
export function runBench(plans: readonly BenchPlan[], root = packageRoot()): number {
  let ran = 0;
  for (const plan of plans) {
    if (plan.command === undefined) {
      process.stderr.write(`zeroth bench: ${plan.why}\n`);
      continue;
    }
    process.stderr.write(`zeroth bench: ${plan.kind}: ${plan.command.join(' ')}\n`);
    const r = spawnSync(plan.command[0]!, plan.command.slice(1), { cwd: root, stdio: 'inherit' });
    ran++;
    if (r.status !== 0) return r.status ?? 1;
  }
  return ran === 0 ? 2 : 0;
}
