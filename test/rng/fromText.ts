/*
 * src/rng/DEFINITION.md implemented from its text alone, without importing anything from the library: the
 * reference the library is checked against in definitionFromText.test.ts. Written for clarity, not speed.
 */
const f = Math.fround;
const imul = Math.imul;
const u32 = (x: number): number => x >>> 0;

export function lowbias32(x: number): number {
  x = u32(x);
  x = u32(x ^ (x >>> 16));
  x = u32(imul(x, 0x7feb352d));
  x = u32(x ^ (x >>> 15));
  x = u32(imul(x, 0x846ca68b));
  return u32(x ^ (x >>> 16));
}

export interface Keys {
  readonly k1: number;
  readonly k2: number;
}

export const tags = { gaussian: 0, rademacher: 1, lowRankU: 2, lowRankV: 3, mask: 4, noise: 5, data: 6 } as const;

export function keys(seed: number, stream: number, block: number): Keys {
  if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) throw new RangeError(`seed ${seed} is not a uint32`);
  let a = lowbias32(seed ^ 0x5bd1e995);
  a = lowbias32(a ^ imul(stream + 1, 0x632be5ab));
  const k1 = lowbias32(u32(a + u32(imul(block + 1, 0x85ebca6b))));
  const k2 = lowbias32(k1 ^ 0x27d4eb2f);
  return { k1, k2 };
}

export function word(k: Keys, i: number): number {
  return lowbias32(u32(u32(imul(i, 0x9e3779b9)) + k.k1) ^ k.k2);
}

/** Gaussian element `i` of stream `stream` for (seed, block), as the text builds it: pair k = ⌊i/2⌋. */
export function gaussian(seed: number, stream: number, block: number, i: number): number {
  const k = keys(seed, stream, block);
  const pair = Math.floor(i / 2);
  const x = word(k, 2 * pair);
  const y = word(k, 2 * pair + 1);
  // radius
  const t = (x >>> 8) | 1;
  let e = 31 - Math.clz32(t);
  let m = t / 2 ** e;
  if (m > f(Math.SQRT2)) {
    m = m * 0.5;
    e = e + 1;
  }
  const s = f(f(m - 1) / f(m + 1));
  const s2 = f(s * s);
  const p = f(f(f(f(f(f(s2 * f(1 / 7)) + f(1 / 5)) * s2) + f(1 / 3)) * s2) + 1);
  const lnu = f(f(f(e - 24) * f(Math.LN2)) + f(f(s * p) * 2));
  const r = f(Math.sqrt(f(-2 * lnu)));
  // angle
  const q = y >>> 30;
  const a = (y >>> 6) & 0xffffff;
  const th = f(f(a - 2 ** 23) * f(Math.PI / 2 ** 25));
  const t2 = f(th * th);
  const sn = f(th * f(f(f(f(f(f(t2 * f(-1 / 5040)) + f(1 / 120)) * t2) + f(-1 / 6)) * t2) + 1));
  const cs = f(f(f(f(f(f(f(f(t2 * f(1 / 40320)) + f(-1 / 720)) * t2) + f(1 / 24)) * t2) - 0.5) * t2) + 1);
  const rotated: [number, number] = q === 0 ? [cs, sn] : q === 1 ? [-sn, cs] : q === 2 ? [-cs, -sn] : [sn, -cs];
  return f(r * rotated[i % 2]!);
}

export function rademacher(seed: number, block: number, i: number): number {
  const w = word(keys(seed, tags.rademacher, block), Math.floor(i / 32));
  return ((w >>> (i % 32)) & 1) === 1 ? 1 : -1;
}

/** A block as the text sees it. */
export interface TextBlock {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export type TextDirection =
  | { readonly kind: 'gaussian' | 'rademacher'; readonly seed: number }
  | { readonly kind: 'lowRank'; readonly seed: number; readonly rank: number; readonly v: readonly (Float32Array | undefined)[] }
  | { readonly kind: 'coordinate'; readonly block: number; readonly index: number };

/** d_i of block b, element i. */
function element(d: TextDirection, blocks: readonly TextBlock[], b: number, i: number): number {
  switch (d.kind) {
    case 'gaussian':
      return gaussian(d.seed, tags.gaussian, b, i);
    case 'rademacher':
      return rademacher(d.seed, b, i);
    case 'coordinate':
      return d.block === b && d.index === i ? 1 : 0;
    case 'lowRank': {
      const block = blocks[b]!;
      const v = d.v[b];
      if (block.shape.length !== 2 || v === undefined) return gaussian(d.seed, tags.gaussian, b, i);
      const n = block.shape[1]!;
      const row = Math.floor(i / n);
      const c = i % n;
      let acc = 0;
      for (let j = 0; j < d.rank; j++) acc = f(acc + f(gaussian(d.seed, tags.lowRankU, b, row * d.rank + j) * v[c * d.rank + j]!));
      return acc;
    }
  }
}

/** `x_i ← f32(x_i + f32(f32(alpha) · d_i))` on copies; a zero step changes nothing. */
export function perturb(d: TextDirection, alpha: number, blocks: readonly TextBlock[]): Float32Array[] {
  const a = f(alpha);
  return blocks.map((block, b) => {
    const out = block.data.slice();
    if (a === 0) return out;
    for (let i = 0; i < out.length; i++) {
      if (d.kind === 'coordinate' && !(d.block === b && d.index === i)) continue;
      out[i] = f(out[i]! + f(a * element(d, blocks, b, i)));
    }
    return out;
  });
}

/** D(s, index, purpose). */
export function derived(s: number, index: number, purpose: number): number {
  return lowbias32(u32(lowbias32(lowbias32(s ^ 0x2545f491) + u32(imul(index + 1, 0x9e3779b9)))) ^ imul(purpose + 1, 0x85ebca6b));
}

/** The step seeds of a run with seed `runSeed`: Alea seeded with `zeroth:<runSeed>`, in binary64. */
export function stepSeeds(runSeed: number, count: number): number[] {
  let n = 0xefc8249d;
  const mash = (text: string): number => {
    for (let i = 0; i < text.length; i++) {
      n = n + text.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = Math.floor(h) % 2 ** 32;
      h = h - n;
      h = h * n;
      n = Math.floor(h) % 2 ** 32;
      h = h - n;
      n = n + h * 2 ** 32;
    }
    return (Math.floor(n) % 2 ** 32) * 2 ** -32;
  };
  const text = `zeroth:${runSeed}`;
  let c = 1;
  let s0 = mash(' ');
  let s1 = mash(' ');
  let s2 = mash(' ');
  s0 = s0 - mash(text);
  if (s0 < 0) s0 = s0 + 1;
  s1 = s1 - mash(text);
  if (s1 < 0) s1 = s1 + 1;
  s2 = s2 - mash(text);
  if (s2 < 0) s2 = s2 + 1;
  const toInt32 = (v: number): number => {
    const w = Math.trunc(v) % 2 ** 32;
    const m = w < 0 ? w + 2 ** 32 : w;
    return m >= 2 ** 31 ? m - 2 ** 32 : m;
  };
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    const t = 2091639 * s0 + c * 2 ** -32;
    s0 = s1;
    s1 = s2;
    c = toInt32(t);
    s2 = t - c;
    out.push(u32(toInt32(s2 * 2 ** 32)));
  }
  return out;
}

/** Floyd's sample of k distinct integers of [0, n) on the mask stream of (seed, block), ascending. */
export function sample(seed: number, block: number, n: number, k: number): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  if (k <= 0) return [];
  const complement = 2 * k > n;
  const kk = complement ? n - k : k;
  const key = keys(seed, tags.mask, block);
  let counter = 0;
  const below = (m: number): number => {
    for (;;) {
      const w = word(key, counter++);
      if (w < 2 ** 32 - (2 ** 32 % m)) return w % m;
    }
  };
  const chosen = new Set<number>();
  for (let j = n - kk; j < n; j++) {
    const t = below(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  const drawn = [...chosen].sort((a, b) => a - b);
  return complement ? Array.from({ length: n }, (_, i) => i).filter((i) => !chosen.has(i)) : drawn;
}

/** Fisher–Yates display order of n candidates on the mask stream of (seed, block 0). */
export function permutation(n: number, seed: number): number[] {
  const display = Array.from({ length: n }, (_, i) => i);
  const key = keys(seed, tags.mask, 0);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((word(key, i) * (i + 1)) / 2 ** 32);
    [display[i], display[j]] = [display[j]!, display[i]!];
  }
  return display;
}
