/**
 * One law of a law suite: a named check that throws (with fast-check's seed and counterexample) when the law
 * is broken. Framework-agnostic: register each with your test runner, e.g.
 * `for (const law of estimatorLaws(subject)) test(law.name, law.run)`.
 */
export interface Law {
  readonly name: string;
  run(): void | Promise<void>;
}
