/**
 * GRPO's group-relative advantages of consecutive groups of `groupSize` returns:
 * Âᵢ = (Rᵢ − mean(R_group)) / std(R_group) (sample standard deviation), or Rᵢ − mean(R_group) without the
 * scaling. A group whose returns are all equal gets Âᵢ = 0 exactly, never NaN (there is nothing to prefer;
 * checked by comparison, because the float mean of equal values need not equal them).
 */
export function groupAdvantages(returns: ArrayLike<number>, groupSize: number, scaleByStd: boolean): Float64Array {
  const out = new Float64Array(returns.length);
  for (let g = 0; g < returns.length; g += groupSize) {
    const end = Math.min(returns.length, g + groupSize);
    const n = end - g;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = g; i < end; i++) {
      lo = Math.min(lo, returns[i]!);
      hi = Math.max(hi, returns[i]!);
    }
    if (lo === hi) continue; // out[g … end) stays 0
    let mean = 0;
    for (let i = g; i < end; i++) mean += returns[i]!;
    mean /= n;
    let ss = 0;
    for (let i = g; i < end; i++) ss += (returns[i]! - mean) ** 2;
    const std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    for (let i = g; i < end; i++) {
      const d = returns[i]! - mean;
      out[i] = !scaleByStd ? d : std > 0 ? d / std : 0;
    }
  }
  return out;
}
