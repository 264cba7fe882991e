import { expect, test } from 'vitest';
import { curveSpec, renderSvg } from '../../bench/quality/plots.js';

test('the vega-lite suboptimality plot renders to a non-empty <svg> headless', async () => {
  const spec = curveSpec(
    'sphere: relative suboptimality vs queries',
    [
      { name: 'spsa', group: 'zeroth', curve: { queries: [0, 10, 100, 1000], subopt: [1, 0.5, 0.01, 1e-4] } },
      { name: 'SciPy Powell', group: 'peer', curve: { queries: [0, 50, 500], subopt: [1, 0.1, 0] } },
    ],
    1e-3,
  );
  const svg = await renderSvg(spec);
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  expect(svg).toContain('<path'); // the lines were drawn
  expect(svg).toContain('spsa'); // the legend
  expect(svg.length).toBeGreaterThan(2000);
});
