import { seedStream, type SeedStreamState } from '../../rng/seedStream.js';
import type { Params } from '../../types.js';
import { CheckpointError } from '../checkpointError.js';
import { crc32, decodeData, encodeData, type Json } from './codec.js';
import { openRound, PENDING, proposeRound, type Best, type Config, type Core, type Round } from './machine.js';

/** The checkpoint format name and version: a reader refuses any other version. */
export const CHECKPOINT_FORMAT = 'zeroth-tuner';
export const CHECKPOINT_VERSION = 1;

interface SavedRound {
  kind: Round['kind'];
  seed: number;
  index: number;
  eState: unknown;
  firstId: number;
  asked: number;
  values: Float64Array;
  status: Uint8Array;
  told: number;
}

/** What a checkpoint body holds (before encoding). */
export interface Body {
  space: unknown;
  estimator: string;
  transform: string;
  /** The estimator's and the transform's `options` (null when they declare none; absent from older checkpoints). */
  estimatorOptions?: unknown;
  transformOptions?: unknown;
  maxQueries: number;
  maxSteps: number;
  seed: number;
  reEvaluate: { every: number; repeats: number } | null;
  params: Float32Array;
  eState: unknown;
  tState: unknown;
  seeds: SeedStreamState;
  steps: number;
  attempts: number;
  charged: number;
  numAsked: number;
  numTold: number;
  nextId: number;
  round: SavedRound | null;
  bestSeen: Best | null;
  bestReEvaluated: Best | null;
  reEvaluations: number;
  lastReEvaluatedStep: number;
  reEvaluationDue: boolean;
  stale: number[];
  finished: boolean;
  lastValue: number;
  /** Counts of failed and pruned results, skipped and re-drawn steps (absent from older checkpoints: 0). */
  failed?: number;
  pruned?: number;
  skipped?: number;
  redrawn?: number;
  meta: unknown;
}

/** Serialises a tuner: `{"format","version","checksum","body"}` with the CRC-32 of the body's JSON text. */
export function saveCore(core: Core, meta: unknown): string {
  const r = core.round;
  const body: Body = {
    space: core.config.space.toJSON(),
    estimator: core.config.estimator.name,
    transform: core.config.transform.name,
    estimatorOptions: core.config.estimator.options ?? null,
    transformOptions: core.config.transform.options ?? null,
    maxQueries: core.config.maxQueries,
    maxSteps: core.config.maxSteps,
    seed: core.config.seed,
    reEvaluate: core.config.reEvaluate ?? null,
    params: core.params[0]!.data,
    eState: core.eState,
    tState: core.tState,
    seeds: core.seeds.state(),
    steps: core.steps,
    attempts: core.attempts,
    charged: core.charged,
    numAsked: core.numAsked,
    numTold: core.numTold,
    nextId: core.nextId,
    round:
      r === undefined
        ? null
        : { kind: r.kind, seed: r.seed, index: r.index, eState: r.eState, firstId: r.firstId, asked: r.asked, values: r.values, status: r.status, told: r.told },
    bestSeen: core.bestSeen ?? null,
    bestReEvaluated: core.bestReEvaluated ?? null,
    reEvaluations: core.reEvaluations,
    lastReEvaluatedStep: core.lastReEvaluatedStep,
    reEvaluationDue: core.reEvaluationDue,
    stale: [...core.stale].sort((a, b) => a - b),
    finished: core.finished,
    lastValue: core.lastValue,
    failed: core.failed,
    pruned: core.pruned,
    skipped: core.skipped,
    redrawn: core.redrawn,
    meta: meta ?? null,
  };
  const text = JSON.stringify(encodeData(body, 'tuner'));
  return `{"format":"${CHECKPOINT_FORMAT}","version":${CHECKPOINT_VERSION},"checksum":"${crc32(text)}","body":${text}}`;
}

/** Parses and verifies a checkpoint text: format, version, then checksum. */
export function readBody(text: unknown): Body {
  if (typeof text !== 'string') throw new CheckpointError('corrupted', `expected the checkpoint text, got ${typeof text}`, 'Pass the string tuner.save() returned.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError('truncated', `it is not complete JSON (${(e as Error).message})`, 'The file was cut short or is not a checkpoint; use an intact copy.');
  }
  const top = parsed as Record<string, unknown> | null;
  if (top === null || typeof top !== 'object' || top['format'] !== CHECKPOINT_FORMAT) {
    throw new CheckpointError('corrupted', 'it is not a zeroth tuner checkpoint (no "format": "zeroth-tuner")', 'Pass the text tuner.save() wrote.');
  }
  if (top['version'] !== CHECKPOINT_VERSION) {
    throw new CheckpointError('version', `it has format version ${JSON.stringify(top['version'])}, this zeroth reads version ${CHECKPOINT_VERSION}`, 'Resume it with the zeroth version that wrote it.');
  }
  const bodyText = JSON.stringify(top['body']);
  if (typeof top['checksum'] !== 'string' || bodyText === undefined || crc32(bodyText) !== top['checksum']) {
    throw new CheckpointError('corrupted', 'its checksum does not match its content', 'The file was edited or damaged; use an intact copy.');
  }
  const body = decodeData(top['body'] as Json) as Body;
  if (body === null || typeof body !== 'object' || !(body.params instanceof Float32Array) || !Array.isArray(body.stale)) {
    throw new CheckpointError('corrupted', 'its body lacks the tuner state', 'Pass the text tuner.save() wrote.');
  }
  return body;
}

/** Rebuilds a tuner core from a verified body, re-proposing the open round from its saved state and seed. */
export function loadCore(body: Body, config: Config): Core {
  const params: Params = [{ name: 'u', shape: [config.space.dim], data: body.params }];
  const core: Core = {
    config,
    params,
    eState: body.eState,
    tState: body.tState,
    seeds: seedStream(body.seed, body.seeds),
    steps: body.steps,
    attempts: body.attempts,
    charged: body.charged,
    numAsked: body.numAsked,
    numTold: body.numTold,
    nextId: body.nextId,
    round: undefined,
    bestSeen: body.bestSeen ?? undefined,
    bestReEvaluated: body.bestReEvaluated ?? undefined,
    reEvaluations: body.reEvaluations,
    lastReEvaluatedStep: body.lastReEvaluatedStep,
    reEvaluationDue: body.reEvaluationDue,
    stale: new Set(body.stale),
    finished: body.finished,
    lastValue: body.lastValue,
    failed: body.failed ?? 0,
    pruned: body.pruned ?? 0,
    skipped: body.skipped ?? 0,
    redrawn: body.redrawn ?? 0,
  };
  const s = body.round;
  if (s !== null) {
    const batch = proposeRound(core, s.kind, s.seed, s.eState);
    if (batch.probes.length !== s.status.length) {
      throw new CheckpointError(
        'mismatch',
        `the estimator proposes ${batch.probes.length} probes for the open round, the checkpoint holds ${s.status.length}`,
        'Resume with the estimator options the run was started with.',
      );
    }
    const round = openRound(core, s.kind, s.seed, s.index, s.eState, s.firstId, batch);
    round.asked = s.asked;
    round.values.set(s.values);
    round.status.set(s.status);
    round.told = s.told;
    for (let i = 0; i < s.asked; i++) if (s.status[i] === PENDING) round.reissue.push(s.firstId + i);
    core.round = round;
  }
  return core;
}
