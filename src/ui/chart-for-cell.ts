import { defaultChart } from '../plots/index.ts';
import type { Cell, CellState } from '../notebook/index.ts';
import { t } from './i18n.ts';
import en from './locales/en.json';

/** The analyses' formulas as the analytics layer writes them (in English), by kind. */
const FORMULAS = en.formula as Record<string, string>;

/**
 * An analysis's formula in the interface's language: the catalogue's when the analytics layer
 * still writes the English one the catalogue translates, else as it is (a changed formula is
 * never shown translated from an older text).
 */
function translatedFormula(kind: string, formula: string): string {
  return FORMULAS[kind] === formula ? t(`formula.${kind}`) : formula;
}

const charts = new WeakMap<object, Element | null>();

/**
 * The default chart and formula shown with an analysis cell's result. Charts are built once per
 * result object, so re-rendering the notebook does not redraw them.
 */
export function chartForCell(cell: Cell, state: CellState): { chart: Element | null; formula: string | null } {
  const result = state.result;
  if (!result || state.status !== 'done') return { chart: null, formula: null };
  if (!charts.has(result)) charts.set(result, defaultChart(cell.analysis ?? result.kind, { rows: result.rows, meta: result.meta }));
  const formula = typeof result.meta.formula === 'string' ? translatedFormula(result.kind, result.meta.formula) : null;
  return { chart: charts.get(result) ?? null, formula };
}
