import { applyUpdates, type ApplyOptions } from './applyUpdates.js';
import type { Backend } from './backend/backend.js';
import { defaultBackend } from './backend/defaultBackend.js';
import { BudgetExhausted, OracleMismatch } from './errors.js';
import type { Estimator } from './estimator.js';
import { evaluateProbes, type Evaluation, type RestoreMode } from './eval/evaluateProbes.js';
import { queriesSpent, recordQueriesSpent } from './eval/queriesSpent.js';
import type { Oracle } from './oracle/oracle.js';
import { oracleKindsFor, oracleNeeded } from './oracle/oracleKindsFor.js';
import { checkSeed, seedStream, type SeedStreamState } from './rng/seedStream.js';
import type { Transform } from './transform/transform.js';
import type { ParamWrite, Params, Update } from './types.js';
import { oneOf } from './validate.js';

/** Options of {@link optimizer}. `B` is the storage of the parameter blocks (`Float32Array` on the host). */
export interface OptimizerOptions<S, T, B = Float32Array> {
  /** The gradient estimator. */
  readonly estimator: Estimator<S>;
  /** The transform that turns an estimate into a step (e.g. `sgd(1e-3)`, `adam(1e-2)`). */
  readonly update: Transform<T>;
  /** Where the primitives run. @defaultValue defaultBackend(): wasm where WebAssembly SIMD exists, else cpu */
  readonly backend?: Backend<B>;
  /** How in-place probes are undone; see {@link RestoreMode}. @defaultValue the estimator's preference, else 'reapply' */
  readonly restore?: RestoreMode;
}

/** Everything an optimizer run carries from step to step: plain data, safe to keep and to checkpoint. */
export interface OptimizerState<S, T> {
  readonly step: number;
  readonly queries: number;
  readonly estimator: S;
  readonly transform: T;
  readonly seeds: SeedStreamState;
}

/** What one step did. */
export interface StepResult<S, T> {
  readonly state: OptimizerState<S, T>;
  /** The estimator's value at the point before the step (see each estimator's documentation). */
  readonly value: number;
  /** Queries this step spent. */
  readonly queries: number;
  /**
   * Every write the step left on the parameters, in order: what a seed log records (`appendToSeedLog`) so that
   * `replayInPlace` rebuilds the parameters bit for bit. Dense blocks are referenced: record them before the
   * next step.
   */
  readonly writes: readonly ParamWrite[];
}

/**
 * An optimizer: an estimator, a transform and a backend, stepping parameters in place. With a device backend
 * (`B` = `WebGpuData`) the parameters stay on the device; estimators and transforms then see blocks whose `data`
 * is the device storage, of which they may read only the length (those that read parameter values on the host,
 * such as cge's magnitude sparsity, need a host backend).
 */
export interface Optimizer<S, T, B = Float32Array> {
  readonly estimator: Estimator<S>;
  readonly backend: Backend<B>;
  /** Fresh state for `params` and the run seed. */
  init(params: Params<B>, seed: number): OptimizerState<S, T>;
  /**
   * One step: propose → evaluate (in place) → combine → transform → apply. `params` is updated in place. If
   * the oracle throws or returns a non-finite value, or the step would exceed `maxQueries`, the error is
   * thrown, `params` is left at its value before the step (up to the float32 rounding of 'reapply' restores)
   * and the given state stays valid; the queries the failed step spent (they happened: the objective ran) are
   * `queriesSpent(error)`.
   *
   * With 'reapply' restores, the restore of the last probe is fused with the update when the estimator and the
   * transform declare that they read no parameter values (`combineReadsValues`, `readsValues`): a MeZO step
   * then makes three passes over the parameters (+σz, −2σz, +(σ − η·p)·z) instead of four.
   *
   * `writes`, when given, receives every write into the parameters as it happens, also those of a step that
   * throws (a failed step still leaves the rounding of its 'reapply' moves, which a seed log must record to
   * stay bit-exact); it is returned as `StepResult.writes`.
   */
  step(
    params: Params<B>,
    oracle: Oracle<Params<B>>,
    state: OptimizerState<S, T>,
    maxQueries?: number,
    writes?: ParamWrite[],
  ): Promise<StepResult<S, T>>;
}

/**
 * Builds an optimizer from an estimator, a transform and a backend.
 *
 * @example
 * ```ts
 * import { optimizer, sgd, valueOracle } from 'zeroth';
 * import { spsa } from 'zeroth/estimators';
 * const opt = optimizer({ estimator: spsa({ sigma: 1e-3 }), update: sgd(0.1) });
 * const x = [{ name: 'x', shape: [2], data: new Float32Array([1, -1]) }];
 * const f = valueOracle((p: typeof x) => p[0]!.data[0]! ** 2 + p[0]!.data[1]! ** 2);
 * let state = opt.init(x, 42);
 * for (let k = 0; k < 10; k++) state = (await opt.step(x, f, state)).state;
 * ```
 */
export function optimizer<S, T, B = Float32Array>(options: OptimizerOptions<S, T, B>): Optimizer<S, T, B> {
  const { estimator, update } = options;
  const backend = options.backend ?? (defaultBackend() as unknown as Backend<B>);
  const restore = oneOf('restore', options.restore ?? estimator.restore ?? 'reapply', ['reapply', 'exact'] as const);
  // The restore of the last probe is fused with the update when nothing reads parameter values in between.
  const fuse = restore === 'reapply' && estimator.combineReadsValues === false && update.readsValues === false;
  return {
    estimator,
    backend,
    init(params, seed) {
      checkSeed(seed);
      return {
        step: 0,
        queries: 0,
        estimator: estimator.init(layoutOf(params)),
        transform: update.init(layoutOf(params)),
        seeds: seedStream(seed).state(),
      };
    },
    async step(params, oracle, state, maxQueries = Infinity, writes: ParamWrite[] = []) {
      checkOracle(estimator, oracle);
      const seeds = seedStream(state.seeds.seed, state.seeds);
      const seed = seeds.next();
      let eState = state.estimator;
      let spent = 0;
      let value = NaN;
      let failedRound = 0;
      try {
        for (let round = 0; ; round++) {
          const batch = estimator.propose(eState, layoutOf(params), seed);
          const cost = batch.probes.length;
          if (spent + cost > maxQueries) throw new BudgetExhausted(maxQueries, spent + cost - maxQueries);
          let evaluation: Evaluation;
          try {
            evaluation = await evaluateProbes(backend, params, batch, oracle, {
              step: state.step,
              restore,
              estimator: estimator.name,
              writes,
              deferRestore: fuse,
            });
          } catch (e) {
            failedRound = queriesSpent(e);
            throw e;
          }
          spent += evaluation.queries;
          let owed = evaluation.pending;
          let tState: T;
          try {
            const combined = estimator.combine(eState, batch, evaluation.responses, layoutOf(params));
            eState = combined.state;
            if (combined.update === undefined) continue;
            const apply = { ...(owed ? { pending: owed } : {}), writes };
            owed = undefined; // applyUpdates applies it, also when it refuses the step
            tState = applyEstimate(backend, update, combined.update, combined.final === true, state.transform, params, apply);
            value = combined.value;
          } finally {
            if (owed !== undefined) applyUpdates(backend, { kind: 'implicit', terms: [] }, params, { pending: owed, writes });
          }
          return {
            state: {
              step: state.step + 1,
              queries: state.queries + spent,
              estimator: eState,
              transform: tState,
              seeds: seeds.state(),
            },
            value,
            queries: spent,
            writes,
          };
        }
      } catch (e) {
        // Every query asked in this step happened, also when the step failed: the caller counts them.
        throw recordQueriesSpent(e, spent + failedRound);
      }
    },
  };
}

/**
 * Turns a finished estimate into a step and adds it to `params`: `update` through the transform (unless the
 * estimator marked it `final`, when it is the step itself and the transform state is kept), then
 * {@link applyUpdates}. Returns the new transform state. Shared by {@link optimizer} and the tuner.
 */
export function applyEstimate<T, B = Float32Array>(
  backend: Backend<B>,
  transform: Transform<T>,
  estimate: Update,
  final: boolean,
  state: T,
  params: Params<B>,
  apply: ApplyOptions = {},
): T {
  let step: Update;
  let next: T;
  try {
    [step, next] = final ? [estimate, state] : transform.update(estimate, state, layoutOf(params));
  } catch (e) {
    if (apply.pending !== undefined) applyUpdates(backend, { kind: 'implicit', terms: [] }, params, apply);
    throw e;
  }
  applyUpdates(backend, step, params, apply);
  return next;
}

/**
 * The parameters as estimators and transforms receive them: host blocks as they are, device blocks too (their
 * `data` is the device storage, whose `length` is the block's); see {@link Optimizer}.
 */
function layoutOf<B>(params: Params<B>): Params {
  return params as unknown as Params;
}

function checkOracle<X>(estimator: Estimator<unknown>, oracle: Oracle<X>): void {
  if (!oracleKindsFor(estimator.response).includes(oracle.kind)) throw new OracleMismatch(estimator.name, oracleNeeded(estimator.response), oracle.kind);
}
