import { InvalidHyperparameter } from '../errors.js';
import type { Params, Update } from '../types.js';
import { checkLayout } from './_internal/checkLayout.js';
import { requireDense } from './_internal/requireDense.js';
import { requireFinite } from './_internal/requireFinite.js';
import type { Transform } from './transform.js';

/** Options of {@link trace}. */
export interface TraceOptions {
  /** The momentum coefficient β, in [0, 1). */
  readonly decay: number;
  /** Nesterov's variant: output `g + β·b` instead of `b`. Default `false`. */
  readonly nesterov?: boolean;
}

/** The state of {@link trace}: the momentum buffer b, one `Float32Array` per parameter block. */
export interface TraceState {
  readonly momentum: readonly Float32Array[];
}

/**
 * Heavy-ball momentum in torch's convention (no dampening): `b ← β·b + g`, output `b`; with `nesterov`,
 * output `g + β·b` (the new b). `b` starts at zero, so the first output is `g`. Followed by
 * `scaleByLearningRate(η)` this is `torch.optim.SGD(lr=η, momentum=β)` (ZO-Bench's ZO-SGD-MMT).
 *
 * Dense updates only: put `materialize()` before it for implicit ones. Computed per element in float64 and
 * stored in float32. The output is written into the given update's arrays (never into the state's buffer);
 * the state's buffer is updated in place and the new state object shares it, so the state passed in is spent
 * (copy it first, e.g. with `structuredClone`, to roll back).
 *
 * Cost: extra memory: 1× params (the momentum buffer).
 *
 * @see B. T. Polyak, "Some methods of speeding up the convergence of iteration methods", 1964;
 *   I. Sutskever et al., "On the importance of initialization and momentum in deep learning", ICML 2013.
 * @throws InvalidHyperparameter if `decay` is not in [0, 1) or `nesterov` is not a boolean
 * @throws UnsupportedUpdate from `update` for an implicit update
 * @throws NonFiniteValue from `update` for an update holding NaN or ±Infinity (the state is left unchanged)
 *
 * @example
 * ```ts
 * const t = chain(materialize(), trace({ decay: 0.9 }), scaleByLearningRate(0.01));
 * let state = t.init(params);
 * [step, state] = t.update(gradient, state, params);
 * ```
 */
export function trace(options: TraceOptions): Transform<TraceState> {
  const { decay, nesterov = false } = options;
  if (!(Number.isFinite(decay) && decay >= 0 && decay < 1)) {
    throw new InvalidHyperparameter('decay', decay, 'must be a finite number in [0, 1) (0.9 is usual)');
  }
  if (typeof nesterov !== 'boolean') {
    throw new InvalidHyperparameter('nesterov', nesterov, 'must be true or false');
  }
  return {
    name: 'trace',
    options: { decay, nesterov },
    readsValues: false,
    init(params: Params): TraceState {
      return { momentum: params.map((b) => new Float32Array(b.data.length)) };
    },
    update(update: Update, state: TraceState, _params: Params): readonly [Update, TraceState] {
      requireDense('trace', update);
      requireFinite('trace', update);
      checkLayout('trace', update.blocks, state.momentum);
      for (let k = 0; k < update.blocks.length; k++) {
        const g = update.blocks[k]!;
        const buf = state.momentum[k]!;
        for (let i = 0; i < g.length; i++) {
          const gi = g[i]!;
          buf[i] = decay * buf[i]! + gi;
          g[i] = nesterov ? gi + decay * buf[i]! : buf[i]!;
        }
      }
      return [update, { momentum: state.momentum }];
    },
  };
}
