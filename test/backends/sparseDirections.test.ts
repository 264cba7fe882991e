import { describe, expect, test } from 'vitest';
import { cpuBackend } from '../../src/backend/cpuBackend.js';
import { wasmBackend } from '../../src/backend/wasm/wasmBackend.js';
import type { Backend } from '../../src/backend/backend.js';
import type { Direction, Params } from '../../src/types.js';

const bits = (p: Params): number[][] => p.map((b) => Array.from(new Uint32Array(b.data.slice().buffer)));
const layout = (): Params => [
  { name: 'w', shape: [5, 7], data: Float32Array.from({ length: 35 }, (_, i) => Math.sin(i)) },
  { name: 'b', shape: [7], data: Float32Array.from({ length: 7 }, (_, i) => Math.cos(i)) },
];

describe('explicit-U low-rank, others: none and sparse dense directions agree across backends', () => {
  const u = Float32Array.from({ length: 10 }, (_, i) => 0.1 * i - 0.3);
  const v = Float32Array.from({ length: 14 }, (_, i) => 0.05 * i + 0.2);
  const directions: [string, Direction][] = [
    ['lowRank with explicit u and others none', { kind: 'lowRank', seed: 3, rank: 2, v: [v, undefined], u: [u, undefined], others: 'none' }],
    ['lowRank seeded, others none', { kind: 'lowRank', seed: 3, rank: 2, v: [v, undefined], others: 'none' }],
    ['lowRank seeded, others gaussian', { kind: 'lowRank', seed: 3, rank: 2, v: [v, undefined] }],
    ['dense with an undefined block', { kind: 'dense', blocks: [undefined, Float32Array.from({ length: 7 }, (_, i) => i)] }],
  ];
  const backends: [string, () => Backend][] = [['wasm', () => wasmBackend()]];
  for (const [name, d] of directions) {
    for (const [bname, make] of backends) {
      test(`${name}: ${bname} = cpu bit for bit`, () => {
        const want = layout();
        cpuBackend().perturbInPlace(d, 0.75, want);
        const be = make();
        const got = layout();
        be.perturbInPlace(d, 0.75, got);
        expect(bits(got)).toEqual(bits(want));
        if (d.kind === 'lowRank' && d.others === 'none') expect(bits([got[1]!])).toEqual(bits([layout()[1]!]));
      });
    }
  }
});
