import * as Plot from '@observablehq/plot';
import { formatCount, formatDuration, say } from './readable.ts';

/** Options of `timeToConvert`; `document` renders outside a browser. */
export interface TimeToConvertOptions {
  document?: Document;
  width?: number;
  height?: number;
}

interface Bin {
  x1: number;
  x2: number;
  users: number;
  group: string;
}

/** Picks a readable unit for the longest time shown. */
function unitFor(seconds: number): { name: string; size: number } {
  if (seconds >= 2 * 86_400) return { name: 'days', size: 86_400 };
  if (seconds >= 2 * 3600) return { name: 'hours', size: 3600 };
  if (seconds >= 120) return { name: 'minutes', size: 60 };
  return { name: 'seconds', size: 1 };
}

/**
 * A histogram of the time people took between two funnel steps, from the rows a funnel spec with
 * `time_to_convert: {from_step, to_step, bins}` returns (`{bin_start_seconds, bin_end_seconds,
 * users, breakdown?}`); stacked by breakdown value when present.
 *
 * @example
 * const { rows } = await runAnalysis(engine, { kind: 'funnel', steps: ['signup', 'purchase'], time_to_convert: { from_step: 1, to_step: 2, bins: 20 } });
 * document.body.append(timeToConvert(rows));
 */
export function timeToConvert(rows: readonly Record<string, unknown>[], options: TimeToConvertOptions = {}): Element {
  const grouped = rows.some((row) => 'breakdown' in row);
  const longest = Math.max(1, ...rows.map((row) => Number(row.bin_end_seconds)));
  const unit = unitFor(longest);
  const bins: Bin[] = rows.map((row) => ({
    x1: Number(row.bin_start_seconds) / unit.size,
    x2: Number(row.bin_end_seconds) / unit.size,
    users: Number(row.users),
    group: grouped ? String(row.breakdown ?? '(none)') : 'all',
  }));
  const title = (b: Bin) => `${grouped ? `${b.group}: ` : ''}${formatDuration(b.x1 * unit.size)} to ${formatDuration(b.x2 * unit.size)}: ${formatCount(b.users)} people`;
  return Plot.plot({
    document: options.document,
    width: options.width,
    height: options.height,
    x: { label: say('time to convert ({unit})', { unit: say(unit.name) }) },
    y: { label: say('people'), grid: true },
    ...(grouped ? { color: { legend: true, label: say('breakdown') } } : {}),
    marks: [
      Plot.rectY(bins, Plot.stackY({ x1: 'x1', x2: 'x2', y: 'users', fill: grouped ? 'group' : 'steelblue', title, inset: 0.5 })),
      Plot.ruleY([0]),
    ],
  });
}
