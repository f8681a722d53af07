/** Everything a default chart needs: the analysis result's rows and meta, and a DOM document. */
export interface ChartInput {
  rows: Record<string, unknown>[];
  meta: Record<string, unknown>;
  document?: Document;
}

export type ChartBuilder = (input: ChartInput) => Element | null;

const builders = new Map<string, ChartBuilder>();

/** Names the chart an analysis kind shows by default (called by each plot module). */
export function registerDefaultChart(kind: string, builder: ChartBuilder): void {
  builders.set(kind, builder);
}

/**
 * The standard chart for an analysis result: a retention heatmap, funnel bars, a lifecycle
 * chart, ...; null when the kind has none or the result is empty.
 *
 * @example
 * const chart = defaultChart('retention', { rows, meta });
 */
export function defaultChart(kind: string, input: ChartInput): Element | null {
  const builder = builders.get(kind);
  if (!builder || input.rows.length === 0) return null;
  return builder(input);
}
