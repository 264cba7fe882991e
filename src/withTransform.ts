import type { Combined, Estimator } from './estimator.js';
import type { Transform } from './transform/transform.js';
import type { Params, ProbeBatch, Responses } from './types.js';

/** State of {@link withTransform}: the inner estimator's and the transform's. */
export interface WithTransformState<S, T> {
  readonly estimator: S;
  readonly transform: T;
}

/**
 * An estimator whose estimates pass through a transform before they leave it: the shared mechanism behind
 * the estimator-side optimizers of ZO-Bench (ZO-SGD-MMT = two-point + `trace`, ZO-Adam = two-point +
 * `scaleByAdam`, ZO-SGD-Sign-elementwise = two-point + `scaleBySign`). The learning rate stays in the
 * optimizer's own transform (`sgd(η)`), so `withTransform(e, t)` with `sgd(η)` equals `e` with
 * `chain(t, sgd(η))`. Final updates (line searches) pass through untouched.
 *
 * Queries per step: the inner estimator's. Extra memory: the transform's state (e.g. 2× params for Adam).
 *
 * @example
 * ```ts
 * const zoAdamLike = withTransform(mezo(), chain(materialize(), scaleByAdam()));
 * ```
 */
export function withTransform<S, T>(
  estimator: Estimator<S>,
  transform: Transform<T>,
  name = `${estimator.name}+${transform.name}`,
): Estimator<WithTransformState<S, T>> {
  return {
    name,
    response: estimator.response,
    combineReadsValues: estimator.combineReadsValues !== false || transform.readsValues !== false,
    ...(estimator.restore ? { restore: estimator.restore } : {}),
    queriesPerStep: (params: Params) => estimator.queriesPerStep(params),
    init: (params: Params) => ({ estimator: estimator.init(params), transform: transform.init(params) }),
    propose: (state, params, seed): ProbeBatch => estimator.propose(state.estimator, params, seed),
    combine(state, batch: ProbeBatch, responses: Responses, params: Params): Combined<WithTransformState<S, T>> {
      const inner = estimator.combine(state.estimator, batch, responses, params);
      if (inner.update === undefined || inner.final) {
        return { ...inner, state: { estimator: inner.state, transform: state.transform } };
      }
      const [update, tState] = transform.update(inner.update, state.transform, params);
      return { state: { estimator: inner.state, transform: tState }, update, value: inner.value };
    },
  };
}
