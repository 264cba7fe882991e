/**
 * Names of the lean transport on Redis for one queue. Keys: `{prefix}:{queue}:lean` (hash: the open runs,
 * handle → key base), `…:lean:w` (set of worker ids) and `…:lean:w:{id}` (a worker's heartbeat, expiring
 * after its lock time), and per run `…:lean:{handle}` (hash: current round `r`, tasks `T`, answered `n`, shards `S`,
 * layout `lay`, seed-log header `hdr`, snapshot `snap`), `…:a` (the round's answers), `…:l` (the log stream of
 * round messages) and `…:s` (the snapshot's bytes). Channels: `{prefix}:{queue}:lean` (runs opening and closing,
 * workers saying hello and bye, BullMQ jobs coming; JSON), the handle (round messages) and handle + `!` (to the coordinator).
 */
export interface LeanKeys {
  readonly control: string;
  readonly runs: string;
  readonly workers: string;
  heartbeat(id: number): string;
  base(handle: string): string;
}

export function leanKeys(prefix: string, queue: string): LeanKeys {
  const root = `${prefix}:${queue}:lean`;
  return {
    control: root,
    runs: root,
    workers: `${root}:w`,
    heartbeat: (id) => `${root}:w:${id}`,
    base: (handle) => `${root}:${handle}`,
  };
}

/** A message on the control channel. */
export type ControlMessage =
  | { readonly t: 'run'; readonly h: string }
  | { readonly t: 'end'; readonly h: string }
  | { readonly t: 'hello'; readonly w: number; readonly lock: number; readonly h?: string }
  | { readonly t: 'bye'; readonly w: number }
  | { readonly t: 'jobs' };

export function parseControl(text: string): ControlMessage | undefined {
  try {
    const m = JSON.parse(text) as ControlMessage;
    return typeof m === 'object' && m !== null && typeof m.t === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}

/** The meta data of a snapshot (field `snap` of a run's hash). */
export interface SnapshotMeta {
  /** The round whose message announces it. */
  readonly round: number;
  /** The fingerprint of its values (12 hex digits). */
  readonly hash: string;
}
