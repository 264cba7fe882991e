import { describe, expect, test } from 'vitest';
import { noDecayForBiasAndNorm } from '../../src/transform/noDecayForBiasAndNorm.js';

describe('noDecayForBiasAndNorm', () => {
  const decayed = (name: string): boolean => noDecayForBiasAndNorm({ name, shape: [1] });

  test('decays weights (doc example)', () => {
    expect(decayed('encoder.layer.0.attention.weight')).toBe(true);
    expect(decayed('fc1.weight')).toBe(true);
    expect(decayed('embed_tokens')).toBe(true);
  });

  test('skips names containing bias, norm, layer_norm, layernorm or ln, case-insensitively', () => {
    for (const name of [
      'encoder.LayerNorm.bias',
      'fc1.bias',
      'BIAS',
      'final_layer_norm.weight',
      'model.layernorm.weight',
      'batchnorm.weight',
      'ln_f.weight',
      'h.0.LN_1.weight',
      'rmsNorm',
    ]) {
      expect(decayed(name), name).toBe(false);
    }
  });

  test('is a substring test (documented): "kiln" is skipped, "bn1" is decayed', () => {
    expect(decayed('kiln.weight')).toBe(false);
    expect(decayed('bn1.weight')).toBe(true);
  });
});
