import fc from 'fast-check';
import { labelled } from './_internal/labelled.js';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import type { Estimator } from '../../src/estimator.js';
import { evaluateProbes } from '../../src/eval/evaluateProbes.js';
import { optimizer } from '../../src/optimizer.js';
import type { Transform } from '../../src/transform/transform.js';
import type { Params, Update } from '../../src/types.js';
import { estimateOnce, oracleFor } from './_internal/estimate.js';
import { lawContext, type LawContext } from './_internal/lawContext.js';
import { flatten, paramsFrom, testQuadratic } from './_internal/quadratic.js';
import type { Law } from './law.js';

/** What the estimator laws need to know about an estimator. */
export interface EstimatorSubject {
  /** Label used in law names. */
  readonly name: string;
  /**
   * Builds a fresh estimator (called once per law run). A rollouts estimator must be built with
   * `context.policy`, the policy the laws' rollouts oracle runs on the law's parameter layout (a Gaussian
   * around the parameters over a one-step quadratic bandit); other estimators ignore the context.
   */
  readonly build: (context: LawContext) => Estimator<unknown>;
  /**
   * The mean of the estimate over seeds equals ∇f on quadratics (two-point Gaussian/Rademacher, central or
   * forward, coordinate-wise, first-order). Ranking and sign-based estimators are biased by design.
   */
  readonly unbiased?: boolean;
  /** Multiplier applied to the mean estimate before comparing with ∇f (e.g. LOZO's mean is rank·∇f). */
  readonly meanScale?: number;
  /** Number of fast-check runs per law. @defaultValue 20 */
  readonly numRuns?: number;
  /** fast-check seed. @defaultValue the global fast-check configuration */
  readonly seed?: number;
}

const backend = cpuBackend();
const U = 2 ** -24;

/** A tiny sgd so the laws depend on nothing but the estimator. */
function plainStep(lr: number): Transform<null> {
  const scaleUpdate = (u: Update): Update =>
    u.kind === 'implicit'
      ? { kind: 'implicit', terms: u.terms.map((t) => ({ direction: t.direction, coeff: -lr * t.coeff })) }
      : { kind: 'dense', blocks: u.blocks.map((b) => Float32Array.from(b, (v) => -lr * v)) };
  return { name: 'plainStep', init: () => null, update: (u) => [scaleUpdate(u), null] as const };
}

const layouts = fc.constantFrom([3], [4], [2, 3], [1, 4, 2]);
/** Block shapes with matrices, for estimators that treat 2-D blocks apart (LOZO). */
const shapeLayouts = fc.constantFrom<number[][]>([[3]], [[2, 3]], [[3, 4], [4]], [[2], [2, 2], [5]]);
const seeds = fc.integer({ min: 0, max: 0xffffffff });

function runOptions(subject: EstimatorSubject): fc.Parameters<unknown> {
  return { numRuns: subject.numRuns ?? 20, includeErrorInReport: true, ...(subject.seed !== undefined ? { seed: subject.seed } : {}) };
}

/**
 * The laws every estimator must satisfy, as framework-agnostic checks (each `run` throws on failure, with
 * fast-check's seed and the counterexample in the message, its parts labelled, e.g. `{"layout":[3],"seed":7}`):
 *
 * - determinism: the same seed gives the same probes, the same update and the same trajectory, bit for bit;
 * - query accounting: probes proposed = `queriesPerStep` = queries the oracle saw (an estimator whose `combine`
 *   never returns an update fails after 100 rounds instead of hanging);
 * - realised scales (value estimators): shortening the probes along their own directions, as the tuner does at
 *   its bounds, does not change the estimate on a linear function — `combine` divides by each probe's realised
 *   scale, not by its own σ;
 * - purity: propose and combine leave the parameters untouched; evaluation restores them within the
 *   float32 round-trip bound ('reapply') or exactly ('exact');
 * - unbiasedness on quadratics (when `unbiased`): the mean over fixed seeds is within 5 standard errors of ∇f;
 * - descent: a small step along −ĝ lowers a convex quadratic on average over seeds.
 */
export function estimatorLaws(subject: EstimatorSubject): Law[] {
  const opts = runOptions(subject);
  return [
    {
      name: `${subject.name}: same seed, same probes, update and trajectory`,
      run: () =>
        fc.assert(
          fc.asyncProperty(labelled({ layout: layouts, seed: seeds, quadratic: fc.integer({ min: 0, max: 1000 }) }), async ({ layout: sizes, seed, quadratic: qseed }) => {
            const n = sizes.reduce((a, b) => a + b, 0);
            const q = testQuadratic(n, qseed);
            const x0 = Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i + qseed));
            const ctx = lawContext(sizes, q);
            const a = await estimateOnce(subject.build(ctx), paramsFrom(x0, sizes), q, seed);
            const b = await estimateOnce(subject.build(ctx), paramsFrom(x0, sizes), q, seed);
            if (a.probes.length !== b.probes.length || !bitEqual(a.dense, b.dense)) throw new Error('estimates differ for one seed');
            const traj = async (): Promise<Float64Array> => {
              const est = subject.build(ctx);
              const opt = optimizer({ estimator: est, update: plainStep(1e-3) });
              const p = paramsFrom(x0, sizes);
              let st = opt.init(p, seed);
              // Bounded: a step that asks for more than its documented queries throws instead of looping.
              for (let k = 0; k < 3; k++) st = (await opt.step(p, oracleFor(est, q, sizes), st, est.queriesPerStep(p))).state;
              return flatten(p);
            };
            if (!bitEqual(await traj(), await traj())) throw new Error('trajectories differ for one seed');
          }),
          opts,
        ),
    },
    {
      name: `${subject.name}: probes proposed = queriesPerStep = queries counted`,
      run: () =>
        fc.assert(
          fc.asyncProperty(labelled({ layout: layouts, seed: seeds }), async ({ layout: sizes, seed }) => {
            const n = sizes.reduce((a, b) => a + b, 0);
            const q = testQuadratic(n, seed % 997);
            const ctx = lawContext(sizes, q);
            const est = subject.build(ctx);
            const p = paramsFrom(new Array<number>(n).fill(0.5), sizes);
            const documented = est.queriesPerStep(p);
            // First a bounded step (at most 100 rounds): an estimator whose combine never returns an update fails
            // here instead of hanging; then the optimizer's step, held to the documented count.
            const e = await estimateOnce(subject.build(ctx), paramsFrom(new Array<number>(n).fill(0.5), sizes), q, seed);
            if (e.probes.length !== documented) throw new Error(`documented ${documented}, probes ${e.probes.length}`);
            const opt = optimizer({ estimator: est, update: plainStep(1e-3) });
            const oracle = oracleFor(est, q, sizes);
            const r = await opt.step(p, oracle, opt.init(p, seed), documented);
            const seen = oracle.kind === 'ranking' || oracle.kind === 'batch' ? r.queries : oracle.calls;
            if (r.queries !== documented || seen !== documented) {
              throw new Error(`documented ${documented}, step reported ${r.queries}, oracle saw ${seen}, probes ${e.probes.length}`);
            }
          }),
          opts,
        ),
    },
    ...(subject.build(lawContext([3], testQuadratic(3, 0))).response === 'values'
      ? [
          {
            name: `${subject.name}: combine divides by each probe's realised scale (probes shortened as at the tuner's bounds)`,
            run: () =>
              fc.assert(
                fc.asyncProperty(
                  labelled({
                    shapes: shapeLayouts,
                    seed: seeds,
                    shortenedTo: fc.array(fc.double({ min: 0.25, max: 0.75, noNaN: true }), { minLength: 1, maxLength: 8 }),
                  }),
                  async ({ shapes, seed, shortenedTo }) => {
                    // On a linear f every finite difference along d is g·d, whatever the realised scales: an
                    // estimate that divides by the realised difference does not change when the probes are shortened.
                    const blocks = (): Params => shapes.map((shape, b) => ({ name: `b${b}`, shape, data: new Float32Array(shape.reduce((a, v) => a * v, 1)) }));
                    const n = shapes.reduce((a, shape) => a + shape.reduce((x, v) => x * v, 1), 0);
                    const f = testQuadratic(n, seed % 997, { linearOnly: true });
                    const ctx = lawContext(blocks().map((b) => b.data.length), f);
                    const whole = await estimateOnce(subject.build(ctx), blocks(), f, seed, undefined, 'exact');
                    const cut = await estimateOnce(subject.build(ctx), blocks(), f, seed, undefined, 'exact', shortenedTo);
                    let err = 0;
                    let size = 0;
                    whole.dense.forEach((v, i) => {
                      err = Math.max(err, Math.abs(v - cut.dense[i]!));
                      size = Math.max(size, Math.abs(v), Math.abs(cut.dense[i]!));
                    });
                    if (!(err <= 1e-4 * size + 1e-12)) {
                      throw new Error(`shortening the probes changed the estimate by ${err} (size ${size}): combine must divide by each probe's realised scale (Math.fround(probe.scale)), not by its own sigma`);
                    }
                  },
                ),
                opts,
              ),
          },
        ]
      : []),
    {
      name: `${subject.name}: propose/combine never write params; evaluation restores them`,
      run: () =>
        fc.assert(
          fc.asyncProperty(labelled({ layout: layouts, seed: seeds, exactRestore: fc.boolean() }), async ({ layout: sizes, seed, exactRestore: exact }) => {
            const n = sizes.reduce((a, b) => a + b, 0);
            const q = testQuadratic(n, 7);
            const x0 = Array.from({ length: n }, (_, i) => Math.cos(3 * i + seed));
            const est = subject.build(lawContext(sizes, q));
            const p = paramsFrom(x0, sizes);
            const before = flatten(p);
            let state = est.init(p);
            let moved = 0;
            const mags = new Float64Array(n);
            for (let round = 0; round < 100; round++) {
              const beforePropose = flatten(p);
              const batch = est.propose(state, p, seed);
              if (!bitEqual(flatten(p), beforePropose)) throw new Error('propose wrote the parameters');
              for (const probe of batch.probes) {
                moved++;
                const z = backend.zerosLike(p);
                backend.perturbInPlace(probe.direction, probe.scale, z);
                flatten(z).forEach((v, i) => (mags[i] = mags[i]! + 2 * Math.abs(v)));
              }
              const r = await evaluateProbes(backend, p, batch, oracleFor(est, q, sizes), { step: 0, restore: exact ? 'exact' : 'reapply' });
              const after = flatten(p);
              for (let i = 0; i < n; i++) {
                const bound = exact ? 0 : 2 * (moved + 1) * U * (Math.abs(before[i]!) + mags[i]!);
                if (Math.abs(after[i]! - before[i]!) > bound) {
                  throw new Error(`element ${i} moved by ${after[i]! - before[i]!} (bound ${bound}, restore ${exact ? 'exact' : 'reapply'})`);
                }
              }
              const snapshot = flatten(p);
              const c = est.combine(state, batch, r.responses, p);
              if (!bitEqual(flatten(p), snapshot)) throw new Error('combine wrote the parameters');
              state = c.state;
              if (c.update !== undefined) break;
            }
          }),
          opts,
        ),
    },
    ...(subject.unbiased
      ? [
          {
            name: `${subject.name}: unbiased on quadratics (mean over fixed seeds within 5 standard errors of ∇f)`,
            run: async () => {
              const n = 4;
              const N = 8000;
              for (const qseed of [1, 2]) {
                const q = testQuadratic(n, qseed);
                const ctx = lawContext([n], q);
                const x0 = [0.5, -0.25, 1, 0.75];
                const g = q.grad(x0.map((v) => Math.fround(v)));
                const sum = new Float64Array(n);
                const sum2 = new Float64Array(n);
                for (let s = 0; s < N; s++) {
                  const e = await estimateOnce(subject.build(ctx), paramsFrom(x0, [n]), q, 1000 + s);
                  for (let i = 0; i < n; i++) {
                    const v = e.dense[i]! / (subject.meanScale ?? 1);
                    sum[i] = sum[i]! + v;
                    sum2[i] = sum2[i]! + v * v;
                  }
                }
                for (let i = 0; i < n; i++) {
                  const mean = sum[i]! / N;
                  const se = Math.sqrt(Math.max(sum2[i]! / N - mean * mean, 0) / N);
                  const tol = 5 * se + 1e-4 * (1 + Math.abs(g[i]!));
                  if (Math.abs(mean - g[i]!) > tol) {
                    throw new Error(`coordinate ${i}: mean ${mean} vs ∇f ${g[i]} (tolerance ${tol}, quadratic ${qseed})`);
                  }
                }
              }
            },
          },
        ]
      : []),
    {
      name: `${subject.name}: a small step along the estimate lowers a convex quadratic on average (final steps: never raise it)`,
      run: async () => {
        const n = 4;
        const N = 400;
        for (const qseed of [3, 4]) {
          const q = testQuadratic(n, qseed);
          const ctx = lawContext([n], q);
          const x0 = [1, -1, 0.5, 2];
          const xf = x0.map((v) => Math.fround(v));
          const f0 = q.value(xf);
          let total = 0;
          for (let s = 0; s < N; s++) {
            const p = paramsFrom(x0, [n]);
            const est = subject.build(ctx);
            const e = await estimateOnce(est, p, q, 5000 + s);
            if (!e.final) {
              // A gradient estimate is followed downhill by a small step.
              const eta = 1e-3 / (Math.hypot(...e.dense) || 1);
              total += q.value(xf.map((v, i) => v - eta * e.dense[i]!)) - f0;
              continue;
            }
            // A final step (line search, comparison, trust region) is taken as is: a few of them in a row may
            // spend queries on information first (a model needs 2n + 1 values), but none may raise f.
            let e2 = e;
            let f = f0;
            for (let k = 0; ; k++) {
              const b = p[0]!.data;
              for (let i = 0; i < n; i++) b[i] = Math.fround(b[i]! + e2.dense[i]!);
              const next = q.value(Array.from(b));
              // Parameters are float32: moving to a point evaluated earlier may land one rounding away from it.
              if (next > f + 1e-6 * Math.max(Math.abs(f), 1)) throw new Error(`a final step raised f from ${f} to ${next} (seed ${5000 + s}, quadratic ${qseed})`);
              f = next;
              if (k >= 2 * n + 2) break;
              e2 = await estimateOnce(est, p, q, 6000 + s + k, e2.state);
            }
            total += f - f0;
          }
          if (!(total / N < 0)) throw new Error(`mean change ${total / N} ≥ 0 on quadratic ${qseed}`);
        }
      },
    },
  ];
}

function bitEqual(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

