import { describe, test } from 'vitest';
import { estimators, type EstimatorEntry } from '../../estimators/index.js';
import { estimatorLaws } from '../laws/estimatorLaws.js';
import type { Estimator } from '../../src/estimator.js';

for (const [key, entry] of Object.entries(estimators) as [string, EstimatorEntry][]) {
  describe(`registry entry ${key}`, () => {
    entry.variants.forEach((options, v) => {
      const build = (): Estimator<unknown> => entry.build(options);
      const unbiased = typeof entry.unbiased === 'function' ? entry.unbiased(options) : entry.unbiased;
      for (const law of estimatorLaws({ name: `${key}#${v} ${JSON.stringify(options)}`, build, unbiased })) {
        test(law.name, law.run);
      }
    });
  });
}
