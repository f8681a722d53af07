import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';
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
}

const percent = (value: unknown) => (typeof value === 'number' ? `${(value * 100).toFixed(1)} %` : '—');

/**
 * Funnel step rows as bars: one bar per step, labelled with the people and the conversion from
 * step 1 (and from the previous step); bars are grouped per step by breakdown value when present.
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
    group: grouped ? String(row.breakdown ?? '(none)') : 'all',
    text: Number(row.step) === 1
      ? `${row.users}`
      : `${row.users} · ${percent(row.conversion_from_start)} (${percent(row.conversion_from_previous)} from previous)`,
  }));
  const steps = [...new Set(bars.map((b) => b.label))];
  const groups = [...new Set(bars.map((b) => b.group))];
  const title = (b: Bar) => `${grouped ? `${b.group}: ` : ''}${b.label}: ${b.text}`;
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: options.height ?? Math.max(160, steps.length * (grouped ? 60 : 40) + 40),
    marginLeft: 140,
    marginRight: 20,
    x: { label: 'people', grid: true },
    ...(grouped
      ? { y: { domain: groups, axis: null }, fy: { domain: steps, label: null }, color: { domain: groups, legend: true, label: 'breakdown' } }
      : { y: { domain: steps, label: null } }),
    marks: grouped
      ? [
          Plot.barX(bars, { x: 'users', y: 'group', fy: 'label', fill: 'group', title }),
          Plot.text(bars, { x: 'users', y: 'group', fy: 'label', text: (b: Bar) => b.text, textAnchor: 'start', dx: 4 }),
          Plot.ruleX([0]),
        ]
      : [
          Plot.barX(bars, { x: 'users', y: 'label', fill: 'steelblue', title }),
          Plot.text(bars, { x: 'users', y: 'label', text: (b: Bar) => b.text, textAnchor: 'start', dx: 4 }),
          Plot.ruleX([0]),
        ],
  });
}

registerDefaultChart('funnel', ({ rows, document }) => {
  if (rows.length > 0 && 'bin_start_seconds' in rows[0]) return timeToConvert(rows, { document });
  if (rows.length > 0 && 'step' in rows[0] && 'users' in rows[0]) return funnelBars(rows, { document });
  return null;
});
