import { existsSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { checkpointMeta } from '../../tuner/resumeTuner.js';
import type { Tuner } from '../../tuner/types.js';
import { UsageError, type RunSpec } from './cliOptions.js';

/** Options of {@link checkpointFile}. */
export interface CheckpointFileOptions {
  /** Where the run is saved. */
  readonly path: string;
  /** The checkpoint the run was resumed from, if any (writing back to it is this run's right). */
  readonly resumedFrom?: string;
  /** Replace a file that is not this run's checkpoint. */
  readonly force: boolean;
}

/** The checkpoint file of a CLI run: claimed before the first evaluation, written atomically, never polluted. */
export interface CheckpointFile {
  readonly path: string;
  /** Counts a told result: only a save after at least one success may replace the file. */
  noteResult(ok: boolean): void;
  /**
   * Writes the run unless every result told since the last save failed (then the file keeps the last good
   * state). Returns 'saved', 'kept' (not replaced, for that reason) or throws the write error.
   */
  save(tuner: Tuner<Record<string, unknown>>, spec: RunSpec): 'saved' | 'kept';
}

/**
 * Claims the checkpoint path of a run before anything is evaluated: the folder must exist and be writable
 * (checked by writing and removing a probe file), and an existing file is replaced only if it is this run's
 * checkpoint (the file resumed from, or one whose run id matches), or with `force`.
 *
 * @throws UsageError naming the path and the fix
 */
export function checkpointFile(options: CheckpointFileOptions, spec: RunSpec): CheckpointFile {
  const path = resolve(options.path);
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`cannot write the checkpoint ${options.path}: the folder ${folder} does not exist`);
  const probe = `${path}.${process.pid}.probe`;
  try {
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (e) {
    throw new UsageError(`cannot write the checkpoint ${options.path}: ${(e as Error).message}`);
  }
  if (existsSync(path) && !options.force && (options.resumedFrom === undefined || resolve(options.resumedFrom) !== path)) {
    let owner: string | undefined;
    try {
      owner = (checkpointMeta(readFileSync(path, 'utf8')) as RunSpec | null)?.run;
    } catch {
      owner = undefined;
    }
    if (owner === undefined || owner !== spec.run) {
      throw new UsageError(
        `${options.path} already exists and is not this run's checkpoint: continue that run with --resume ${options.path}, choose another --checkpoint path, or pass --force to replace it`,
      );
    }
  }
  let told = 0;
  let succeeded = 0;
  return {
    path,
    noteResult(ok) {
      told++;
      if (ok) succeeded++;
    },
    save(tuner, run) {
      if (told > 0 && succeeded === 0) return 'kept';
      const meta: RunSpec = { ...run, objective: relative(folder, run.objective) };
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, tuner.save(meta));
      renameSync(tmp, path);
      told = 0;
      succeeded = 0;
      return 'saved';
    },
  };
}
