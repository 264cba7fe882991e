import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';

// The TSDoc examples of the reinforcement-learning parts run as written (imports from 'zeroth…' rewritten to
// the sources), as the README's snippets do in test/docs/readme.test.ts.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FILES = [
  'src/rl/linearSoftmax.ts',
  'src/rl/linearGaussian.ts',
  'src/rl/mlpPolicy.ts',
  'src/rl/valueNetwork.ts',
  'src/rl/rolloutsOracle.ts',
  'src/oracle/returnOracle.ts',
  'src/rl/episodeKeys.ts',
  'src/rl/streamDraws.ts',
  'src/rl/gae.ts',
  'src/oracle/oracleKindsFor.ts',
  'estimators/reinforce.ts',
  'estimators/ppo.ts',
  'estimators/grpo.ts',
  'problems/rl/cartPole.ts',
  'problems/rl/pendulum.ts',
  'problems/rl/bandit.ts',
  'problems/rl/contextualBandit.ts',
  'problems/rl/sequenceTask.ts',
  'problems/environmentEntry.ts',
];
const subpaths: Record<string, string> = {
  zeroth: 'src/index.ts',
  'zeroth/estimators': 'estimators/index.ts',
  'zeroth/problems': 'problems/index.ts',
  'zeroth/testing': 'test/laws/index.ts',
};
const out = join(root, 'test/docs/.generated');

describe('TSDoc examples of the RL parts run', () => {
  for (const file of FILES) {
    const text = readFileSync(join(root, file), 'utf8');
    const examples = [...text.matchAll(/@example\n \* ```ts\n([\s\S]*?) \* ```/g)].map((m) => m[1]!.replace(/^ \* ?/gm, ''));
    test(`${file} has an example`, () => expect(examples.length).toBeGreaterThan(0));
    examples.forEach((code, i) => {
      test(`${file}, example ${i + 1}`, async () => {
        mkdirSync(out, { recursive: true });
        const rewritten = code.replace(/from '(zeroth(?:\/[a-z]+)?)'/g, (_m, spec: string) => `from '${pathToFileURL(join(root, subpaths[spec]!)).href}'`);
        const name = join(out, `${file.replace(/[/.]/g, '_')}_${i}.ts`);
        writeFileSync(name, `${rewritten}\nexport {};\n`);
        await import(pathToFileURL(name).href);
      });
    });
  }
});
