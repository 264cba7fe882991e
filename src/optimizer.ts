import { applyUpdates } from './applyUpdates.js';
import type { Backend } from './backend/backend.js';
import { defaultBackend } from './backend/defaultBackend.js';
import { BudgetExhausted, OracleMismatch } from './errors.js';
import type { Estimator } from './estimator.js';
import { evaluateProbes, type RestoreMode } from './eval/evaluateProbes.js';
import type { Oracle } from './oracle/oracle.js';
import { oracleKindsFor, oracleNeeded } from './oracle/oracleKindsFor.js';
import { checkSeed, seedStream, type SeedStreamState } from './rng/seedStream.js';
import type { Transform } from './transform/transform.js';
import type { Params, Update } from './types.js';
import { oneOf } from './validate.js';

/** Options of {@link optimizer}. */
export interface OptimizerOptions<S, T> {
  /** The gradient estimator. */
  readonly estimator: Estimator<S>;
  /** The transform that turns an estimate into a step (e.g. `sgd(1e-3)`, `adam(1e-2)`). */
  readonly update: Transform<T>;
  /** Where the primitives run. @defaultValue defaultBackend(): wasm where WebAssembly SIMD exists, else cpu */
  readonly backend?: Backend;
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
}

/** An optimizer: an estimator, a transform and a backend, stepping parameters in place. */
export interface Optimizer<S, T> {
  readonly estimator: Estimator<S>;
  readonly backend: Backend;
  /** Fresh state for `params` and the run seed. */
  init(params: Params, seed: number): OptimizerState<S, T>;
  /**
   * One step: propose → evaluate (in place) → combine → transform → apply. `params` is updated in place. If
   * the oracle throws or returns a non-finite value, or the step would exceed `maxQueries`, the error is
   * thrown, `params` is left at its value before the step and the given state stays valid.
   */
  step(params: Params, oracle: Oracle<Params>, state: OptimizerState<S, T>, maxQueries?: number): Promise<StepResult<S, T>>;
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
export function optimizer<S, T>(options: OptimizerOptions<S, T>): Optimizer<S, T> {
  const { estimator, update } = options;
  const backend = options.backend ?? defaultBackend();
  const restore = oneOf('restore', options.restore ?? estimator.restore ?? 'reapply', ['reapply', 'exact'] as const);
  return {
    estimator,
    backend,
    init(params, seed) {
      checkSeed(seed);
      return {
        step: 0,
        queries: 0,
        estimator: estimator.init(params),
        transform: update.init(params),
        seeds: seedStream(seed).state(),
      };
    },
    async step(params, oracle, state, maxQueries = Infinity) {
      checkOracle(estimator, oracle);
      const seeds = seedStream(state.seeds.seed, state.seeds);
      const seed = seeds.next();
      let eState = state.estimator;
      let spent = 0;
      for (let round = 0; ; round++) {
        const batch = estimator.propose(eState, params, seed);
        const cost = batch.probes.length;
        if (spent + cost > maxQueries) throw new BudgetExhausted(maxQueries, spent + cost - maxQueries);
        const { responses, queries } = await evaluateProbes(backend, params, batch, oracle, {
          step: state.step,
          restore,
          estimator: estimator.name,
        });
        spent += queries;
        const combined = estimator.combine(eState, batch, responses, params);
        eState = combined.state;
        if (combined.update === undefined) continue;
        const tState = applyEstimate(backend, update, combined.update, combined.final === true, state.transform, params);
        return {
          state: {
            step: state.step + 1,
            queries: state.queries + spent,
            estimator: eState,
            transform: tState,
            seeds: seeds.state(),
          },
          value: combined.value,
          queries: spent,
        };
      }
    },
  };
}

/**
 * Turns a finished estimate into a step and adds it to `params`: `update` through the transform (unless the
 * estimator marked it `final`, when it is the step itself and the transform state is kept), then
 * {@link applyUpdates}. Returns the new transform state. Shared by {@link optimizer} and the tuner.
 */
export function applyEstimate<T>(backend: Backend, transform: Transform<T>, estimate: Update, final: boolean, state: T, params: Params): T {
  const [step, next] = final ? [estimate, state] : transform.update(estimate, state, params);
  applyUpdates(backend, step, params);
  return next;
}

function checkOracle(estimator: Estimator<unknown>, oracle: Oracle<Params>): void {
  if (!oracleKindsFor(estimator.response).includes(oracle.kind)) throw new OracleMismatch(estimator.name, oracleNeeded(estimator.response), oracle.kind);
}
