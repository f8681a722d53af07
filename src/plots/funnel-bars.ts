import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';
import { barLabelLayout, DEFAULT_WIDTH, textWidth } from './label-layout.ts';
import { formatCount, formatDuration, formatPercent, say } from './readable.ts';
import { timeToConvert } from './time-to-convert.ts';

/** Options of `funnelBars`; `document` renders outside a browser. */
export interface FunnelBarsOptions {
  document?: Document;
  width?: number;
  height?: number;
}

interface Bar {
  label: string;
  users: number;
  group: string;
  text: string;
  title: string;
}

/** The longest step label shown in full; longer ones end in "…" (the tooltip has them whole). */
const LONGEST_LABEL = 32;

function shortened(label: string): string {
  return label.length > LONGEST_LABEL ? `${label.slice(0, LONGEST_LABEL - 1)}…` : label;
}

function stepTitle(row: Record<string, unknown>, grouped: boolean): string {
  const parts = [`${grouped ? `${row.breakdown ?? say('(none)')}: ` : ''}${row.step}. ${row.event}: ${say('{n} people', { n: formatCount(Number(row.users)) })}`];
  if (Number(row.step) > 1) {
    parts.push(say('{start} of step 1, {previous} of the step before', {
      start: formatPercent(row.conversion_from_start as number | null) || '—', previous: formatPercent(row.conversion_from_previous as number | null) || '—',
    }));
    const avg = formatDuration(row.avg_seconds_from_previous as number | null);
    if (avg) parts.push(say('took {avg} on average from the step before (median {median})', { avg, median: formatDuration(row.median_seconds_from_previous as number | null) }));
  }
  return parts.join('; ');
}

/**
 * Funnel step rows as bars: one bar per step, labelled with the people and the conversion from
 * step 1 (and from the previous step); bars are grouped per step by breakdown value when present.
 * A label sits inside its bar when it fits there, else just past its end, with the right margin
 * it needs; the tooltip adds the times between steps as durations.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'funnel', steps: ['view_item', 'add_to_cart', 'purchase'] });
 * document.body.append(funnelBars(rows));
 */
export function funnelBars(rows: readonly Record<string, unknown>[], options: FunnelBarsOptions = {}): Element {
  const grouped = rows.some((row) => 'breakdown' in row);
  const bars: Bar[] = rows.map((row) => ({
    label: `${row.step}. ${row.event}`,
    users: Number(row.users),
    group: grouped ? String(row.breakdown ?? say('(none)')) : 'all',
    text: Number(row.step) === 1
      ? formatCount(Number(row.users))
      : `${formatCount(Number(row.users))} · ${formatPercent(row.conversion_from_start as number | null) || '—'} (${say('{rate} from previous', { rate: formatPercent(row.conversion_from_previous as number | null) || '—' })})`,
    title: stepTitle(row, grouped),
  }));
  const steps = [...new Set(bars.map((b) => b.label))];
  const groups = [...new Set(bars.map((b) => b.group))];
  const width = options.width ?? DEFAULT_WIDTH;
  const marginLeft = Math.min(220, Math.max(60, ...steps.map((label) => textWidth(shortened(label)) + 14)));
  // grouped bars take the breakdown's colours, on which white text may not read: labels go outside
  const { inside, marginRight } = barLabelLayout(bars.map((b) => b.users), bars.map((b) => b.text), { width, marginLeft, insideAllowed: !grouped });
  const labelled = bars.map((b, i) => ({ ...b, inside: inside[i] }));
  const at = (where: boolean) => labelled.filter((b) => b.inside === where);
  const y = grouped ? 'group' : 'label';
  const text = (b: Bar) => b.text;
  return Plot.plot({
    document: options.document,
    width,
    height: options.height ?? Math.max(160, steps.length * (grouped ? 24 * groups.length + 12 : 40) + 40),
    marginLeft,
    marginRight,
    x: { label: say('people'), grid: true },
    ...(grouped
      ? { y: { domain: groups, axis: null }, fy: { domain: steps, label: null, tickFormat: shortened }, color: { domain: groups, legend: true, label: say('breakdown') } }
      : { y: { domain: steps, label: null, tickFormat: shortened } }),
    marks: [
      Plot.barX(bars, { x: 'users', y, ...(grouped ? { fy: 'label', fill: 'group' } : { fill: 'steelblue' }), title: (b: Bar) => b.title }),
      Plot.text(at(false), { x: 'users', y, ...(grouped ? { fy: 'label' } : {}), text, textAnchor: 'start', dx: 4 }),
      Plot.text(at(true), { x: 'users', y, text, textAnchor: 'end', dx: -6, fill: 'white' }),
      Plot.ruleX([0]),
    ],
  });
}

registerDefaultChart('funnel', ({ rows, document }) => {
  if (rows.length > 0 && 'bin_start_seconds' in rows[0]) return timeToConvert(rows, { document });
  if (rows.length > 0 && 'step' in rows[0] && 'users' in rows[0]) return funnelBars(rows, { document });
  return null;
});
