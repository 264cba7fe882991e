import { describe, test } from 'vitest';
import { estimators, type EstimatorEntry } from '../../estimators/index.js';
import { fcSeed } from '../_support/fcConfig.js';
import { tunerLaws } from '../laws/tunerLaws.js';

// The tuner laws over every registry estimator that the tuner can drive (value and ranking responses, not
// gradients or rollouts), with
// every option set the registry lists.
for (const [key, entry] of Object.entries(estimators) as [string, EstimatorEntry][]) {
  if (entry.response !== 'values' && entry.response !== 'ranking') continue;
  describe(`tuner laws: ${key}`, () => {
    entry.variants.forEach((options, v) => {
      const label = `${key}#${v} ${JSON.stringify(options)}`;
      for (const law of tunerLaws({ name: label, build: () => entry.build(options), numRuns: v === 0 ? 25 : 8, seed: fcSeed })) {
        test(law.name, law.run);
      }
    });
  });
}
