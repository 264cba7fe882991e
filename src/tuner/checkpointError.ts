import { ZerothError } from '../errors.js';

/** Why a checkpoint was refused. */
export type CheckpointProblem = 'truncated' | 'corrupted' | 'version' | 'mismatch' | 'unserializable';

/**
 * A tuner checkpoint could not be written or read back: `problem` says why —
 *
 * - `truncated`: the text is not complete JSON (an interrupted write or copy);
 * - `corrupted`: it parses, but its checksum does not match its content (edited or damaged);
 * - `version`: it was written by another checkpoint format version;
 * - `mismatch`: it belongs to another search space, estimator or transform than the ones given to resume it;
 * - `unserializable`: a state holds something JSON cannot carry (a function, a Map, a class instance).
 *
 * A refused checkpoint never resumes silently into a different run.
 */
export class CheckpointError extends ZerothError {
  readonly problem: CheckpointProblem;
  constructor(problem: CheckpointProblem, detail: string, fix: string) {
    super('CHECKPOINT_INVALID', `Checkpoint ${problem}: ${detail}. ${fix}`);
    this.problem = problem;
  }
}
