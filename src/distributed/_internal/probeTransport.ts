import type { Probe } from '../../types.js';
import type { JobStats } from './jobClient.js';
import type { Version } from './versionTracker.js';

/**
 * How a distributed oracle gets the values of one call's probes from the workers: task `t` is probe group
 * `⌊t / shards⌋` evaluated on shard `t mod shards`; the result has, per task, one value per probe of its group.
 */
export interface ProbeTransport {
  readonly stats: JobStats;
  /**
   * Evaluates every task at parameters `version` (`isNew`: first asked for in this call). `probes` carry the
   * noise seeds of their contexts; `step` is the contexts' step.
   */
  run(version: Version, isNew: boolean, probes: readonly Probe[], groups: readonly (readonly number[])[], step: number): Promise<Float64Array[]>;
  close(): Promise<void>;
}
