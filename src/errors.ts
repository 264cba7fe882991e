/**
 * Typed errors. Every error zeroth throws is a {@link ZerothError}; its message names the parameter at
 * fault and the fix.
 *
 * @packageDocumentation
 */

/** Base class of every error thrown by zeroth. `code` is stable and safe to switch on. */
export class ZerothError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

function show(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as Float32Array).length}`;
  return typeof value;
}

/** A hyperparameter or option has an invalid value. */
export class InvalidHyperparameter extends ZerothError {
  readonly parameter: string;
  readonly value: unknown;
  constructor(parameter: string, value: unknown, requirement: string) {
    super(
      'INVALID_HYPERPARAMETER',
      `Invalid ${parameter}: got ${show(value)}; ${parameter} ${requirement}.`,
    );
    this.parameter = parameter;
    this.value = value;
  }
}

/** An input (a starting point, parameters, data) is malformed. */
export class InvalidInput extends ZerothError {
  readonly parameter: string;
  constructor(parameter: string, problem: string, fix: string) {
    super('INVALID_INPUT', `Invalid ${parameter}: ${problem}. ${fix}`);
    this.parameter = parameter;
  }
}

/** A query was refused because the query budget is spent. */
export class BudgetExhausted extends ZerothError {
  readonly budget: number;
  constructor(budget: number, needed: number) {
    super(
      'BUDGET_EXHAUSTED',
      `Query budget exhausted: ${needed} more queries were needed but the budget of ${budget} is spent. ` +
        'Raise budget.queries or stop earlier.',
    );
    this.budget = budget;
  }
}

/** The oracle does not answer what the estimator needs (e.g. a value oracle for a ranking estimator). */
export class OracleMismatch extends ZerothError {
  constructor(estimator: string, needs: string, got: string) {
    super(
      'ORACLE_MISMATCH',
      `Estimator "${estimator}" needs ${needs} but the oracle is of kind "${got}". ` +
        'Pass an oracle of the right kind or wrap it with an adapter (e.g. rankingFromValues).',
    );
  }
}

/** The objective returned NaN or ±Infinity. */
export class NonFiniteValue extends ZerothError {
  readonly value: number;
  constructor(value: number, where: string) {
    super(
      'NON_FINITE_VALUE',
      `Got ${show(value)} from ${where}. Parameters were left at their last good values; ` +
        'check the objective for overflow or invalid inputs, or lower the learning rate or sigma.',
    );
    this.value = value;
  }
}

/** The objective threw. The original error is kept as `cause`. */
export class ObjectiveError extends ZerothError {
  constructor(cause: unknown, where: string) {
    const text = cause instanceof Error ? cause.message : String(cause);
    super(
      'OBJECTIVE_THREW',
      `The objective threw at ${where}: ${text}. Parameters were left at their last good values.`,
      { cause },
    );
  }
}

/** An update kind a transform cannot handle (e.g. an implicit update reaching `scaleByAdam`). */
export class UnsupportedUpdate extends ZerothError {
  constructor(transform: string, kind: string, fix: string) {
    super('UNSUPPORTED_UPDATE', `Transform "${transform}" cannot take ${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind} update. ${fix}`);
  }
}

/** A seed log does not belong to these parameters (another model, another layout). Nothing was written. */
export class SeedLogMismatch extends ZerothError {
  constructor(problem: string) {
    super(
      'SEED_LOG_MISMATCH',
      `The seed log does not match the parameters: ${problem}. Nothing was written; replay a log onto the base ` +
        'parameters of the run that wrote it (same blocks, names and shapes, in the same order).',
    );
  }
}

/** A seed log misses steps, or a replay asks for steps the log does not hold. Nothing was written. */
export class SeedLogGap extends ZerothError {
  readonly expected: number;
  readonly found: number | undefined;
  constructor(expected: number, found: number | undefined, context: string) {
    super(
      'SEED_LOG_GAP',
      `The seed log has a gap: ${context} expected step ${expected} but ${found === undefined ? 'the log ends there' : `found step ${found}`}. ` +
        'Nothing was written; use the complete log of the run (entries are never dropped), or replay only up to the last step it holds.',
    );
    this.expected = expected;
    this.found = found;
  }
}

/** A seed log cannot be read (not JSON, unknown format or version, a malformed entry). Nothing was written. */
export class SeedLogCorrupt extends ZerothError {
  constructor(where: string, problem: string) {
    super(
      'SEED_LOG_CORRUPT',
      `The seed log is unreadable at ${where}: ${problem}. Nothing was written; pass a log written by zeroth ` +
        '(JSON, or JSONL with the header on the first line), unmodified.',
    );
  }
}

/** The objective returned something that is not a number (`undefined` — a missing `return` —, a string, an object). */
export class NonNumericValue extends ZerothError {
  readonly value: unknown;
  constructor(value: unknown, where: string) {
    super(
      'NON_NUMERIC_VALUE',
      `The objective returned ${show(value)} at ${where}, not a number. ` +
        `${value === undefined ? 'Return the value (a missing `return`?)' : 'Return a number (convert it with Number(…) if it is text)'}; ` +
        'parameters were left at their last good values.',
    );
    this.value = value;
  }
}
