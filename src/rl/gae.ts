/**
 * Generalised advantage estimation for one episode of T steps, written into `advantages` (length T):
 *
 * δₜ = rₜ + γ V(sₜ₊₁) − V(sₜ),  Âₜ = δₜ + γλ Âₜ₊₁,  Â_T = 0,
 *
 * with V(s_T) = `bootstrap` (the critic's value of the final observation for a truncated episode, 0 for a
 * terminal one). λ = 1 gives the discounted return minus V(sₜ); λ = 0 the one-step TD error. With V ≡ 0 and
 * λ = 1 it is the discounted reward-to-go Σₖ γᵏ rₜ₊ₖ. The value targets are Âₜ + V(sₜ).
 *
 * Cost: O(T), no allocation.
 *
 * @see J. Schulman, P. Moritz, S. Levine, M. Jordan, P. Abbeel, "High-Dimensional Continuous Control Using
 * Generalized Advantage Estimation", ICLR 2016.
 *
 * @example
 * ```ts
 * import { gae } from 'zeroth';
 * const adv = new Float64Array(3);
 * gae([1, 1, 1], [0, 0, 0], 0, 1, 1, adv); // reward-to-go: [3, 2, 1]
 * ```
 */
export function gae(
  rewards: ArrayLike<number>,
  values: ArrayLike<number>,
  bootstrap: number,
  gamma: number,
  lambda: number,
  advantages: Float64Array,
): Float64Array {
  let next = 0;
  let nextValue = bootstrap;
  for (let t = rewards.length - 1; t >= 0; t--) {
    const delta = rewards[t]! + gamma * nextValue - values[t]!;
    next = delta + gamma * lambda * next;
    advantages[t] = next;
    nextValue = values[t]!;
  }
  return advantages;
}
