import { defaultChart } from '../plots/index.ts';
import type { Cell, CellState } from '../notebook/index.ts';

const charts = new WeakMap<object, Element | null>();

/**
 * The default chart and formula shown with an analysis cell's result. Charts are built once per
 * result object, so re-rendering the notebook does not redraw them.
 */
export function chartForCell(cell: Cell, state: CellState): { chart: Element | null; formula: string | null } {
  const result = state.result;
  if (!result || state.status !== 'done') return { chart: null, formula: null };
  if (!charts.has(result)) charts.set(result, defaultChart(cell.analysis ?? result.kind, { rows: result.rows, meta: result.meta }));
  const formula = typeof result.meta.formula === 'string' ? result.meta.formula : null;
  return { chart: charts.get(result) ?? null, formula };
}
