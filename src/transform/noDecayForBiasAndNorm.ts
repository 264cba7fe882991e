import type { BlockMask } from './addDecayedWeights.js';

const pattern = /bias|norm|layer_norm|layernorm|ln/i;

/**
 * A ready-made {@link BlockMask} for {@link addDecayedWeights}: decay every block except those whose name
 * contains, case-insensitively, `bias`, `norm`, `layer_norm`, `layernorm` or `ln`:
 * `mask(block) = !/bias|norm|layer_norm|layernorm|ln/i.test(block.name)`. That is MeZO's and ZO2's rule
 * (`bias`, `layer_norm`, `layernorm`, `ln`, case-sensitive there) widened by `norm`, so it also skips
 * `batchnorm`, `LayerNorm` (Hugging Face BERT) and `rmsNorm` blocks.
 *
 * It is a plain substring test, as in those codebases, so it also skips any name that merely contains one of
 * these words or the two letters `ln` (e.g. `'kiln.weight'`), and it decays a normalisation layer whose name
 * contains none of them (e.g. `'bn1.weight'`). Pass your own mask when your names need another rule.
 *
 * @example
 * ```ts
 * noDecayForBiasAndNorm({ name: 'encoder.layer.0.attention.weight', shape: [64, 64] }); // true: decayed
 * noDecayForBiasAndNorm({ name: 'encoder.LayerNorm.bias', shape: [64] });              // false: not decayed
 * const t = addDecayedWeights(0.1, noDecayForBiasAndNorm);
 * ```
 */
export const noDecayForBiasAndNorm: BlockMask = (block) => !pattern.test(block.name);
