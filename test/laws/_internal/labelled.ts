import fc from 'fast-check';

/**
 * `fc.record` with plain objects: a failing law prints its counterexample with every part named, e.g.
 * `Counterexample: [{"layout":[3],"seed":7}]`, not an anonymous tuple.
 */
export function labelled<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true });
}
