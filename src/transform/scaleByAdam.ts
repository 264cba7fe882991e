import { InvalidHyperparameter } from '../errors.js';
import type { Params, Update } from '../types.js';
import { checkLayout } from './_internal/checkLayout.js';
import { requireDense } from './_internal/requireDense.js';
import { requireFinite } from './_internal/requireFinite.js';
import type { Transform } from './transform.js';

/** Options of {@link scaleByAdam}. */
export interface ScaleByAdamOptions {
  /** Decay of the first moment, in [0, 1). Default 0.9. */
  readonly b1?: number;
  /** Decay of the second moment, in [0, 1). Default 0.999. */
  readonly b2?: number;
  /** Added to √v̂ in the denominator, finite and > 0. Default 1e-8. */
  readonly eps?: number;
}

/**
 * The state of {@link scaleByAdam}: the number of updates done, and the first and second moment estimates
 * `m`, `v`, one `Float32Array` per parameter block each.
 */
export interface ScaleByAdamState {
  readonly count: number;
  readonly m: readonly Float32Array[];
  readonly v: readonly Float32Array[];
}

/**
 * Adam's rescaling with the standard bias correction (Kingma & Ba), per element, at step t = count + 1:
 * `m ← b1·m + (1−b1)·g`, `v ← b2·v + (1−b2)·g²`, `m̂ = m/(1−b1ᵗ)`, `v̂ = v/(1−b2ᵗ)`, output `m̂/(√v̂ + eps)`.
 * Followed by `scaleByLearningRate(η)` it is `torch.optim.Adam(lr=η)` (ZO-Bench's ZO-Adam).
 *
 * Dense updates only: put `materialize()` before it for implicit ones. Each element is computed in float64
 * from the float32 state and stored in float32. The output is written into the given update's arrays; the
 * state's `m` and `v` are updated in place and shared by the new state, so the state passed in is spent (copy
 * it first, e.g. with `structuredClone`, to roll back).
 *
 * Cost: extra memory: 2× params (`m` and `v`, float32).
 *
 * @see D. P. Kingma, J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
 * @throws InvalidHyperparameter if `b1` or `b2` is not in [0, 1), or `eps` is not a finite number > 0
 * @throws UnsupportedUpdate from `update` for an implicit update
 * @throws NonFiniteValue from `update` for an update holding NaN or ±Infinity (the state is left unchanged)
 *
 * @example
 * ```ts
 * const t = chain(materialize(), scaleByAdam({ b1: 0.9 }), scaleByLearningRate(1e-3));
 * let state = t.init(params);
 * [step, state] = t.update(gradient, state, params);
 * ```
 */
export function scaleByAdam(options: ScaleByAdamOptions = {}): Transform<ScaleByAdamState> {
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8 } = options;
  checkDecay('b1', b1, '0.9');
  checkDecay('b2', b2, '0.999');
  if (!(Number.isFinite(eps) && eps > 0)) {
    throw new InvalidHyperparameter('eps', eps, 'must be a finite number > 0 (1e-8 is usual)');
  }
  return {
    name: 'scaleByAdam',
    options: { b1, b2, eps },
    readsValues: false,
    init(params: Params): ScaleByAdamState {
      return {
        count: 0,
        m: params.map((b) => new Float32Array(b.data.length)),
        v: params.map((b) => new Float32Array(b.data.length)),
      };
    },
    update(update: Update, state: ScaleByAdamState, _params: Params): readonly [Update, ScaleByAdamState] {
      requireDense('scaleByAdam', update);
      requireFinite('scaleByAdam', update);
      checkLayout('scaleByAdam', update.blocks, state.m);
      checkLayout('scaleByAdam', update.blocks, state.v);
      const t = state.count + 1;
      const c1 = 1 - b1 ** t;
      const c2 = 1 - b2 ** t;
      for (let k = 0; k < update.blocks.length; k++) {
        const g = update.blocks[k]!;
        const m = state.m[k]!;
        const v = state.v[k]!;
        for (let i = 0; i < g.length; i++) {
          const gi = g[i]!;
          const mi = b1 * m[i]! + (1 - b1) * gi;
          const vi = b2 * v[i]! + (1 - b2) * gi * gi;
          m[i] = mi;
          v[i] = vi;
          g[i] = mi / c1 / (Math.sqrt(vi / c2) + eps);
        }
      }
      return [update, { count: t, m: state.m, v: state.v }];
    },
  };
}

function checkDecay(name: string, value: number, usual: string): void {
  if (!(Number.isFinite(value) && value >= 0 && value < 1)) {
    throw new InvalidHyperparameter(name, value, `must be a finite number in [0, 1) (${usual} is usual)`);
  }
}
