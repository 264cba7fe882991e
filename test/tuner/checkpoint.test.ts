import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { lozo } from '../../estimators/lozo.js';
import { spsa } from '../../estimators/spsa.js';
import { zoSgdCons } from '../../estimators/zoSgdCons.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { CheckpointError } from '../../src/tuner/checkpointError.js';
import { createTuner } from '../../src/tuner/createTuner.js';
import { float, int, logFloat } from '../../src/tuner/dimensions.js';
import { checkpointMeta, resumeTuner } from '../../src/tuner/resumeTuner.js';
import { space } from '../../src/tuner/space.js';
import { crc32, decodeData, encodeData, fromBase64, toBase64 } from '../../src/tuner/_internal/codec.js';
import { fcOptions } from '../_support/fcConfig.js';

const s = space({ lr: logFloat(1e-4, 1), momentum: float(0, 0.99), layers: int(1, 6) });
type X = { lr: number; momentum: number; layers: number };
const f = (x: X): number => (Math.log10(x.lr) + 2) ** 2 + (x.momentum - 0.9) ** 2 + 0.05 * (x.layers - 4) ** 2;
const options = () => ({ space: s, estimator: spsa({ sigma: 0.1, distribution: 'gaussian' }), update: adam(0.05) });

function expectProblem(fn: () => unknown, problem: CheckpointError['problem']): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    expect((e as CheckpointError).problem).toBe(problem);
    expect((e as CheckpointError).code).toBe('CHECKPOINT_INVALID');
    return;
  }
  throw new Error(`no CheckpointError (${problem})`);
}

describe('tuner checkpoints', () => {
  test('a run stopped between ask and tell and resumed ends bit for bit as the uninterrupted run', () => {
    const whole = createTuner({ ...options(), budget: 300, seed: 9 });
    for (let t = whole.ask(); t !== undefined; t = whole.ask()) whole.tell(t, f(t.x));

    const first = createTuner({ ...options(), budget: 300, seed: 9 });
    for (let k = 0; k < 77; k++) {
      const t = first.ask()!;
      first.tell(t, f(t.x));
    }
    first.ask(); // handed out and never told: save now, as a crash would find it
    const text = first.save({ note: 'between ask and tell' });
    expect(first.pending()).toHaveLength(1);
    const again = resumeTuner(text, options());
    expect(again.pending().map((t) => t.id)).toEqual(first.pending().map((t) => t.id));
    for (let t = again.ask(); t !== undefined; t = again.ask()) again.tell(t, f(t.x));
    expect(again.recommend({ policy: 'iterate' }).u).toEqual(whole.recommend({ policy: 'iterate' }).u);
    expect(again.recommend({ policy: 'bestSeen' })).toEqual(whole.recommend({ policy: 'bestSeen' }));
    expect([again.numAsked, again.numSteps, again.numQueries]).toEqual([whole.numAsked, whole.numSteps, whole.numQueries]);
    expect(checkpointMeta(text)).toEqual({ note: 'between ask and tell' });
  });

  test('multi-round steps and typed-array states (LOZO, Adam) resume in the middle of a step', () => {
    for (const build of [() => zoSgdCons({ sigma: 0.05, learningRate: 0.3 }), () => lozo({ sigma: 0.05, rank: 1 })]) {
      const o = () => ({ space: s, estimator: build(), update: sgd(0.1) });
      const whole = createTuner({ ...o(), budget: 60, seed: 4 });
      for (let t = whole.ask(); t !== undefined; t = whole.ask()) whole.tell(t, f(t.x));
      for (const at of [1, 3, 4, 17, 31]) {
        const cut = createTuner({ ...o(), budget: 60, seed: 4 });
        for (let k = 0; k < at; k++) {
          const t = cut.ask();
          if (t !== undefined) cut.tell(t, f(t.x));
        }
        const back = resumeTuner(cut.save(), o());
        for (let t = back.ask(); t !== undefined; t = back.ask()) back.tell(t, f(t.x));
        expect(back.save()).toBe(whole.save());
      }
    }
  });

  test('truncated, corrupted and version-mismatched checkpoints are refused with a typed error', () => {
    const tuner = createTuner({ ...options(), budget: 50, seed: 1 });
    tuner.askBatch().forEach((t) => tuner.tell(t, f(t.x)));
    const text = tuner.save();
    expectProblem(() => resumeTuner(text.slice(0, text.length - 20), options()), 'truncated');
    expectProblem(() => resumeTuner('', options()), 'truncated');
    const tampered = text.replace(/"steps":1,/, '"steps":2,');
    expect(tampered).not.toBe(text);
    expectProblem(() => resumeTuner(tampered, options()), 'corrupted');
    expectProblem(() => resumeTuner(text.replace('"version":1', '"version":2'), options()), 'version');
    expectProblem(() => resumeTuner('{"hello":1}', options()), 'corrupted');
    // Reformatting the JSON keeps it valid (the checksum covers the content, not the spacing).
    expect(resumeTuner(JSON.stringify(JSON.parse(text), null, 2), options()).save()).toBe(text);
  });

  test('another space, estimator or transform is a mismatch, never a silent wrong resume', () => {
    const tuner = createTuner({ ...options(), budget: 50, seed: 1 });
    const text = tuner.save();
    expectProblem(() => resumeTuner(text, { ...options(), space: space({ lr: logFloat(1e-4, 1), momentum: float(0, 0.9), layers: int(1, 6) }) }), 'mismatch');
    expectProblem(() => resumeTuner(text, { ...options(), estimator: zoSgdCons({ learningRate: 0.1 }) }), 'mismatch');
    expectProblem(() => resumeTuner(text, { ...options(), update: sgd(0.1) }), 'mismatch');
    expectProblem(() => resumeTuner(text, { ...options(), reEvaluate: { every: 2, repeats: 2 } }), 'mismatch');
    expectProblem(() => resumeTuner(text, { ...options(), estimator: spsa({ sigma: 0.1, numProbes: 2 }) }), 'mismatch'); // the open round has 2 probes, not 4
  });

  test('a larger budget extends a finished run', () => {
    const tuner = createTuner({ ...options(), budget: 20, seed: 2 });
    for (let t = tuner.ask(); t !== undefined; t = tuner.ask()) tuner.tell(t, f(t.x));
    expect(tuner.done).toBe(true);
    const more = resumeTuner(tuner.save(), { ...options(), budget: 40 });
    expect(more.done).toBe(false);
    for (let t = more.ask(); t !== undefined; t = more.ask()) more.tell(t, f(t.x));
    const whole = createTuner({ ...options(), budget: 40, seed: 2 });
    for (let t = whole.ask(); t !== undefined; t = whole.ask()) whole.tell(t, f(t.x));
    expect(more.recommend({ policy: 'iterate' }).u).toEqual(whole.recommend({ policy: 'iterate' }).u);
  });

  test('states that JSON cannot carry are refused when saving', () => {
    const est = { ...spsa(), init: () => ({ step: 0, callback: () => 1 }) };
    const tuner = createTuner({ space: s, estimator: est, update: sgd(0.1), budget: 10 });
    expect(() => tuner.save()).toThrow(/unserializable.*callback/);
  });

  test('the codec round-trips plain data exactly: NaN, ±Infinity, −0, undefined, typed arrays, $-keys', () => {
    const value = {
      a: [NaN, Infinity, -Infinity, -0, 0, 1.5, undefined, null, 'x', true],
      f32: new Float32Array([NaN, -0, 3.4e38, 1e-45]),
      f64: new Float64Array([Math.PI, -Number.MAX_VALUE]),
      i32: new Int32Array([-1, 2 ** 31 - 1]),
      u8: new Uint8Array([0, 255]),
      nested: { $num: 'looks like a tag', $typed: 1 },
    };
    const back = decodeData(JSON.parse(JSON.stringify(encodeData(value)))) as typeof value;
    expect(Object.is(back.a[3], -0)).toBe(true);
    expect(back.a.slice(0, 3)).toEqual([NaN, Infinity, -Infinity]);
    expect(back.a[6]).toBeUndefined();
    expect(back.f32).toBeInstanceOf(Float32Array);
    expect(new Uint8Array(back.f32.buffer)).toEqual(new Uint8Array(value.f32.buffer));
    expect(back.f64).toEqual(value.f64);
    expect(back.i32).toEqual(value.i32);
    expect(back.u8).toEqual(value.u8);
    expect(back.nested).toEqual(value.nested);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        expect(fromBase64(toBase64(bytes))).toEqual(bytes);
      }),
      fcOptions(200),
    );
    expect(crc32('123456789')).toBe('cbf43926'); // the CRC-32 check value
  });
});
