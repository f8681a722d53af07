import * as Plot from '@observablehq/plot';
import { registerDefaultChart } from './default-chart.ts';
import { say } from './readable.ts';

/** Options of `surveyChart`; `document` renders outside a browser. */
export interface SurveyChartOptions {
  document?: Document;
  width?: number;
}

const GROUPS = ['detractors', 'passives', 'promoters'] as const;

/**
 * NPS answers as shares of detractors, passives and promoters per period (or overall), with the
 * score on each bar; CSAT as the satisfied share per period.
 *
 * @example
 * document.body.append(surveyChart((await runAnalysis(engine, { kind: 'survey', column: 'score', period: 'month' })).rows));
 */
export function surveyChart(rows: readonly Record<string, unknown>[], options: SurveyChartOptions = {}): Element {
  const label = (r: Record<string, unknown>) => String(r.period ?? say('all answers'));
  if (rows[0] && 'csat' in rows[0]) {
    return Plot.plot({
      document: options.document, width: options.width, marginLeft: 100,
      x: { label: say('CSAT (%)'), domain: [0, 100], grid: true },
      y: { label: null },
      marks: [
        Plot.barX(rows, { x: 'csat', y: label, fill: '#2a9d8f' }),
        Plot.text(rows, { x: 'csat', y: label, text: (r: Record<string, unknown>) => `${Number(r.csat).toFixed(0)} %`, dx: 16 }),
      ],
    });
  }
  const parts = rows.flatMap((r) => GROUPS.map((group) => ({ period: label(r), group, share: Number(r[group]) / Number(r.responses || 1) })));
  return Plot.plot({
    document: options.document, width: options.width, marginLeft: 100,
    x: { label: say('share of answers (%)'), percent: true },
    y: { label: null },
    color: { domain: [...GROUPS], range: ['#e76f51', '#e9c46a', '#2a9d8f'], legend: true },
    marks: [
      Plot.barX(parts, Plot.stackX({ x: 'share', y: 'period', fill: 'group', order: [...GROUPS], title: (d: { group: string; share: number }) => `${d.group}: ${(d.share * 100).toFixed(1)} %` })),
      Plot.text(rows, { x: 1, y: label, text: (r: Record<string, unknown>) => `NPS ${r.nps === null ? '—' : Number(r.nps).toFixed(0)}`, textAnchor: 'end', dx: -4, fill: 'white' }),
    ],
  });
}

registerDefaultChart('survey', ({ rows, document }) => surveyChart(rows, { document }));
