import { InvalidHyperparameter, InvalidInput } from '../../src/errors.js';
import type { Environment } from '../../src/rl/environment.js';
import { episodeKeys } from '../../src/rl/episodeKeys.js';
import { uniformDraw } from '../../src/rl/streamDraws.js';
import { checkInteger } from '../_internal/validate.js';

/** Options of {@link sequenceTask}. */
export interface SequenceTaskOptions {
  /** Tokens per answer L. @defaultValue 3 */
  readonly length?: number;
  /** Vocabulary size V: tokens are the digits 0 … V−1. @defaultValue 10 */
  readonly vocabulary?: number;
  /** Which prompts the episodes draw from: the training prompts or the held-out ones. @defaultValue 'train' */
  readonly split?: 'train' | 'heldOut';
  /** Every `heldOutEvery`-th target (those with target mod heldOutEvery = ⌊heldOutEvery/2⌋) is held out. @defaultValue 4 */
  readonly heldOutEvery?: number;
}

/** The environment returned by {@link sequenceTask}. */
export interface SequenceTaskEnvironment extends Environment {
  /** The targets (prompts) of this split, ascending. */
  readonly prompts: readonly number[];
  /** The prompt of the episode of `seed`. */
  prompt(seed: number): number;
  /** The verifier: 1 if the tokens sum to the target, else 0. */
  verify(target: number, tokens: ArrayLike<number>): number;
}

/**
 * GRPO's setting in miniature: a prompt is a target number T ∈ {0, …, (V−1)·L}; the policy answers with L
 * tokens (digits 0 … V−1) emitted one at a time; a verifier scores the finished answer 1 if the digits sum
 * to T and 0 otherwise (the only reward, on the last step: a sparse, verifiable outcome reward). Targets are
 * split into training prompts and held-out ones (every `heldOutEvery`-th target), so success on held-out
 * prompts measures generalisation; the episode seed picks a prompt of the split uniformly.
 *
 * Observation before token i (size 2V + 3 + L), three one-hot parts: the remaining sum R = T − (tokens so
 * far) over 0 … V−1 with one slot for "R ≥ V" and one for "R < 0" (overshot); the position i; and the smallest
 * digit that still lets the remaining L − i tokens reach T, max(0, R − (V−1)(L−i−1)), with one slot for
 * "unreachable". These are what a model would compute from the prompt and its own tokens; they make every
 * prompt solvable by a linear-softmax policy ("emit min(V−1, R)") and let what is learnt on training prompts
 * carry over to held-out ones, leaving the sparse verified reward as the only learning signal.
 *
 * Returns lie in [0, 1]; every prompt is solvable (`optimalReturn` = 1). Terminal after L steps.
 *
 * @see Z. Shao et al., "DeepSeekMath: Pushing the Limits of Mathematical Reasoning in Open Language Models"
 * (GRPO), arXiv:2402.03300, 2024.
 *
 * @example
 * ```ts
 * import { sequenceTask } from 'zeroth/problems';
 * const train = sequenceTask();                         // 3 digits, targets 0 … 27
 * const heldOut = sequenceTask({ split: 'heldOut' });   // targets 2, 6, 10, …, 26
 * train.verify(12, [9, 3, 0]); // 1
 * ```
 */
export function sequenceTask(options: SequenceTaskOptions = {}): SequenceTaskEnvironment {
  const L = checkInteger('length', options.length ?? 3, 1);
  const V = checkInteger('vocabulary', options.vocabulary ?? 10, 2);
  const every = checkInteger('heldOutEvery', options.heldOutEvery ?? 4, 2);
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'heldOut') throw new InvalidHyperparameter('split', split, "must be 'train' or 'heldOut'");
  const maxTarget = (V - 1) * L;
  const held = (t: number): boolean => t % every === Math.floor(every / 2);
  const prompts: number[] = [];
  for (let t = 0; t <= maxTarget; t++) if (held(t) === (split === 'heldOut')) prompts.push(t);
  if (prompts.length === 0) throw new InvalidHyperparameter('heldOutEvery', every, `leaves no ${split} prompt among targets 0 … ${maxTarget}`);
  const O = V + 2 + L + V + 1;
  const prompt = (seed: number): number => {
    const { k1, k2 } = episodeKeys(seed, 0).start;
    return prompts[Math.min(prompts.length - 1, Math.floor(uniformDraw(k1, k2, 0) * prompts.length))]!;
  };
  return {
    name: 'sequenceTask',
    observationSize: O,
    action: { kind: 'discrete', n: V },
    maxSteps: L,
    // row: target, remaining, position
    stateSize: 3,
    returnBounds: { lower: 0, upper: 1 },
    prompts,
    prompt,
    verify(target, tokens) {
      let s = 0;
      for (let i = 0; i < tokens.length; i++) s += tokens[i]!;
      return tokens.length === L && s === target ? 1 : 0;
    },
    reset(state, row, seed) {
      const t = prompt(seed);
      state[3 * row] = t;
      state[3 * row + 1] = t;
      state[3 * row + 2] = 0;
    },
    observe(state, count, out) {
      out.fill(0, 0, count * O);
      for (let r = 0; r < count; r++) {
        const rem = state[3 * r + 1]!;
        const pos = state[3 * r + 2]!;
        const o = r * O;
        out[o + (rem < 0 ? V + 1 : rem >= V ? V : rem)] = 1;
        if (pos < L) out[o + V + 2 + pos] = 1;
        const lb = Math.max(0, rem - (V - 1) * (L - pos - 1));
        out[o + V + 2 + L + Math.min(lb, V)] = 1;
      }
    },
    step(state, count, actions, reward, terminated) {
      for (let r = 0; r < count; r++) {
        const a = actions[r]!;
        if (!(Number.isInteger(a) && a >= 0 && a < V)) throw new InvalidInput('action', `row ${r} chose ${a}`, `Emit a token in 0 … ${V - 1}.`);
        const rem = state[3 * r + 1]! - a;
        const pos = state[3 * r + 2]! + 1;
        state[3 * r + 1] = rem;
        state[3 * r + 2] = pos;
        const done = pos >= L;
        reward[r] = done && rem === 0 ? 1 : 0;
        terminated[r] = done ? 1 : 0;
      }
    },
    optimalReturn: () => 1,
  };
}
