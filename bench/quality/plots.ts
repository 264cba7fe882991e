/**
 * Suboptimality-vs-queries plots as SVG: a vega-lite spec compiled to vega and rendered headless in Node
 * (`renderer: 'none'`, no browser, no canvas).
 */
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { Curve } from './metrics.js';

/** One line of a plot. */
export interface Series {
  readonly name: string;
  /** 'zeroth' lines are solid, 'peer' dashed, 'first-order' dotted. */
  readonly group: 'zeroth' | 'peer' | 'first-order';
  readonly curve: Curve;
}

/** Smallest suboptimality drawn (log axis): smaller values, and exact zeros, are drawn at this floor. */
export const PLOT_FLOOR = 1e-12;

/** The vega-lite spec of a log–log suboptimality-vs-queries plot. */
export function curveSpec(title: string, series: readonly Series[], target?: number): vegaLite.TopLevelSpec {
  const values = series.flatMap((s) =>
    s.curve.queries.map((q, i) => ({ method: s.name, group: s.group, queries: Math.max(q, 1), subopt: Math.max(s.curve.subopt[i]!, PLOT_FLOOR) })),
  );
  const layers: object[] = [
    {
      mark: { type: 'line', strokeWidth: 1.6, clip: true },
      encoding: {
        x: { field: 'queries', type: 'quantitative', scale: { type: 'log' }, title: 'queries' },
        y: { field: 'subopt', type: 'quantitative', scale: { type: 'log' }, title: '(f − f*) / (f(x0) − f*)  (median over seeds)' },
        color: { field: 'method', type: 'nominal', legend: { title: null, columns: 1, labelLimit: 200 }, scale: { scheme: 'tableau20' } },
        strokeDash: {
          field: 'group',
          type: 'nominal',
          scale: { domain: ['zeroth', 'peer', 'first-order'], range: [[1, 0], [6, 3], [2, 2]] },
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
