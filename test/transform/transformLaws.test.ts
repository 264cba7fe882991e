import { describe, test } from 'vitest';
import { spallGain } from '../../src/schedule/spallGain.js';
import { addDecayedWeights } from '../../src/transform/addDecayedWeights.js';
import { adam } from '../../src/transform/aliases/adam.js';
import { momentum } from '../../src/transform/aliases/momentum.js';
import { sgd } from '../../src/transform/aliases/sgd.js';
import { signSgd } from '../../src/transform/aliases/signSgd.js';
import { chain } from '../../src/transform/chain.js';
import { clipByGlobalNorm } from '../../src/transform/clipByGlobalNorm.js';
import { identity } from '../../src/transform/identity.js';
import { materialize } from '../../src/transform/materialize.js';
import { noDecayForBiasAndNorm } from '../../src/transform/noDecayForBiasAndNorm.js';
import { scale } from '../../src/transform/scale.js';
import { scaleByAdam } from '../../src/transform/scaleByAdam.js';
import { scaleByLearningRate } from '../../src/transform/scaleByLearningRate.js';
import { scaleBySign } from '../../src/transform/scaleBySign.js';
import { trace } from '../../src/transform/trace.js';
import type { Transform } from '../../src/transform/transform.js';
import { transformLaws } from '../laws/transformLaws.js';

/** Every transform and alias of src/transform, with typical hyperparameters. */
const subjects: readonly (readonly [string, () => Transform])[] = [
  ['identity', () => identity()],
  ['chain', () => chain(scale(2), clipByGlobalNorm(10), scaleByLearningRate(0.1))],
  ['scale', () => scale(-0.5)],
  ['scaleByLearningRate', () => scaleByLearningRate(0.1)],
  ['scaleByLearningRate(spallGain)', () => scaleByLearningRate(spallGain({ a: 0.1, A: 2 }))],
  ['trace', () => trace({ decay: 0.9 })],
  ['trace(nesterov)', () => trace({ decay: 0.9, nesterov: true })],
  ['scaleByAdam', () => scaleByAdam()],
  ['scaleBySign', () => scaleBySign()],
  ['clipByGlobalNorm', () => clipByGlobalNorm(1)],
  ['addDecayedWeights', () => addDecayedWeights(0.1)],
  ['addDecayedWeights(noDecayForBiasAndNorm)', () => addDecayedWeights(0.1, noDecayForBiasAndNorm)],
  ['materialize', () => materialize()],
  ['sgd', () => sgd(0.1)],
  ['momentum', () => momentum(0.1)],
  ['adam', () => adam(0.1)],
  ['signSgd', () => signSgd(0.1)],
];

describe('transform laws', () => {
  for (const [name, build] of subjects) {
    describe(name, () => {
      for (const law of transformLaws(name, build)) test(law.name, law.run);
    });
  }
});
