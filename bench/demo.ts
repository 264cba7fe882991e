/**
 * `npm start`: the quick version of the quality benchmark — every registry estimator (and the SciPy peers when
 * SciPy is available) on the suite's problems at d = 10 and 100 with small budgets, plus the acceptance cells
 * (rotated ill-conditioned quadratic at d = 100, lowRankMatrix 10 × 10) with 5 seeds. Writes report/index.md
 * with SVG plots and bench/results/quality.json, and prints the summary tables and acceptance checks.
 * The full suite (d up to 1000, 5 seeds, larger budgets) is `npm run bench`.
 */
import { runQuality } from './quality/run.js';

const { summary } = await runQuality({ mode: 'quick' });
console.log(summary);
console.log('\nFull report: report/index.md');
