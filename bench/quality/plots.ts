/**
 * Benchmark curves as SVG: a vega-lite spec compiled to vega and rendered headless in Node (`renderer: 'none'`,
 * no browser, no canvas). The quality benchmark draws suboptimality vs queries on log–log axes (the default
 * {@link Axes}); other benchmarks (bench/rl) pass their own axes.
 */
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { Curve } from './metrics.js';

/** The kinds of method a plot tells apart by dash pattern. */
export type SeriesGroup = 'zeroth' | 'peer' | 'first-order' | 'policy-gradient';

/** One line of a plot: `curve.queries` are its x values, `curve.subopt` its y values. */
export interface Series {
  readonly name: string;
  /** 'zeroth' lines are solid, 'peer' dashed, 'first-order' dotted, 'policy-gradient' dash-dotted. */
  readonly group: SeriesGroup;
  readonly curve: Curve;
}

/** The axes of a plot: titles and whether each is logarithmic. */
export interface Axes {
  readonly x: { readonly title: string; readonly log: boolean };
  readonly y: { readonly title: string; readonly log: boolean };
}

/** Smallest suboptimality drawn (log axis): smaller values, and exact zeros, are drawn at this floor. */
export const PLOT_FLOOR = 1e-12;

/** The quality benchmark's axes: queries (log) and relative suboptimality (log). */
export const SUBOPTIMALITY_AXES: Axes = {
  x: { title: 'queries', log: true },
  y: { title: '(f − f*) / (f(x0) − f*)  (median over seeds)', log: true },
};

const DASHES: Record<SeriesGroup, number[]> = { zeroth: [1, 0], peer: [6, 3], 'first-order': [2, 2], 'policy-gradient': [8, 3, 2, 3] };
const GROUP_ORDER: readonly SeriesGroup[] = ['zeroth', 'peer', 'first-order', 'policy-gradient'];

/** The vega-lite spec of a curve plot (by default log–log suboptimality vs queries), with an optional target line. */
export function curveSpec(title: string, series: readonly Series[], target?: number, axes: Axes = SUBOPTIMALITY_AXES): vegaLite.TopLevelSpec {
  const values = series.flatMap((s) =>
    s.curve.queries.map((q, i) => ({
      method: s.name,
      group: s.group,
      x: axes.x.log ? Math.max(q, 1) : q,
      y: axes.y.log ? Math.max(s.curve.subopt[i]!, PLOT_FLOOR) : s.curve.subopt[i]!,
    })),
  );
  const groups = GROUP_ORDER.filter((g) => series.some((s) => s.group === g));
  const layers: object[] = [
    {
      mark: { type: 'line', strokeWidth: 1.6, clip: true },
      encoding: {
        x: { field: 'x', type: 'quantitative', scale: { type: axes.x.log ? 'log' : 'linear' }, title: axes.x.title },
        y: { field: 'y', type: 'quantitative', scale: axes.y.log ? { type: 'log' } : { type: 'linear', zero: false }, title: axes.y.title },
        color: { field: 'method', type: 'nominal', legend: { title: null, columns: 1, labelLimit: 200 }, scale: { scheme: 'tableau20' } },
        strokeDash: {
          field: 'group',
          type: 'nominal',
          scale: { domain: groups, range: groups.map((g) => DASHES[g]) },
          legend: { title: null },
        },
      },
    },
  ];
  if (target !== undefined) {
    layers.push({ data: { values: [{ t: target }] }, mark: { type: 'rule', color: '#888', strokeDash: [2, 4] }, encoding: { y: { field: 't', type: 'quantitative' } } });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 560,
    height: 320,
    background: 'white',
    data: { values },
    layer: layers,
  } as vegaLite.TopLevelSpec;
}

/** Renders a vega-lite spec to an SVG string, headless. */
export async function renderSvg(spec: vegaLite.TopLevelSpec): Promise<string> {
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
