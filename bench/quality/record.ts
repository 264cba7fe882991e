/** The record of one benchmark run, as stored in bench/results/quality.json. */
import type { Family } from './suite.js';

export interface RunRecord {
  readonly kind: 'zeroth' | 'peer';
  readonly method: string;
  readonly family: Family;
  /** Nominal dimension (10, 100, 1000). */
  readonly d: number;
  /** The instance's actual dimension (lowRankMatrix: rows × cols). */
  readonly dim: number;
  readonly seed: number;
  readonly budget: number;
  readonly instance: string;
  /** The step rule and hyperparameters used (zeroth) or the peer's options. */
  readonly settings: string;
  /** True when the setting came from the untuned fallback. */
  readonly untuned?: boolean;
  readonly f0: number;
  readonly fStar: number;
  /** Queries until the relative suboptimality was ≤ 10⁻³ (at checkpoint resolution), null if never. */
  readonly queriesToTarget: number | null;
  /** Relative suboptimality at the end of the run (noise-free f). */
  readonly finalSubopt: number;
  /** Queries spent. */
  readonly queries: number;
  readonly steps: number;
  /** Wall time of the run in ms, without the benchmark's own monitoring evaluations. */
  readonly wallMs: number;
  /** Of which inside the objective (zeroth runs): wallMs − objectiveMs is the optimizer's own time. */
  readonly objectiveMs?: number;
  /** CPU time of the run (user + system, without monitoring) and of it inside the objective (zeroth runs). */
  readonly cpuMs?: number;
  readonly objectiveCpuMs?: number;
  /** Largest measured size of the optimizer state (typed arrays + 8 bytes per array number), in bytes. */
  readonly stateBytes: number;
  /** Checkpointed curve: queries and relative suboptimality. */
  readonly curve: { readonly queries: readonly number[]; readonly subopt: readonly number[] };
  /** Why the run ended: 'budget', 'target', 'floor', 'diverged', 'time', or an error message. */
  readonly stoppedBy: string;
  /** For peer runs of a seed-independent problem: the seed whose run this record repeats. */
  readonly replicatedFrom?: number;
}
