/** The marks the chart builder offers. */
export const CHART_MARKS = ['bar', 'line', 'area', 'dot', 'cell', 'histogram'] as const;
export type ChartMark = (typeof CHART_MARKS)[number];

/** How rows that share an x (and colour, facet) become one value. */
export const CHART_AGGREGATES = ['none', 'count', 'sum', 'mean', 'median'] as const;
export type ChartAggregate = (typeof CHART_AGGREGATES)[number];

export const CHART_SORTS = ['natural', 'value, largest first', 'value, smallest first'] as const;
export type ChartSort = (typeof CHART_SORTS)[number];

/** A column as the builder sees it: a number, a time (dates too) or a category. */
export interface ChartColumn {
  name: string;
  kind: 'number' | 'time' | 'text';
  /** Text that holds ISO dates (`2024-01-29`): charted on a time scale through `new Date`. */
  isoDates?: boolean;
  /** Distinct values among the first rows, to pick a colour column with few of them. */
  distinct?: number;
}

/** What the builder's form holds. */
export interface ChartConfig {
  mark: ChartMark;
  x?: string;
  y?: string;
  color?: string;
  facet?: string;
  aggregate: ChartAggregate;
  sort: ChartSort;
}

/**
 * A sensible first chart from the column types: a time and a number make a line, a category and
 * a number bars (largest first), two categories and a number a heatmap, a lone number a
 * histogram, a lone category bars of counts. A category with few values colours the lines.
 *
 * @example
 * proposeChart([{ name: 'week', kind: 'time' }, { name: 'users', kind: 'number' }]);
 * // { mark: 'line', x: 'week', y: 'users', aggregate: 'sum', sort: 'natural' }
 */
export function proposeChart(columns: readonly ChartColumn[]): ChartConfig {
  const times = columns.filter((c) => c.kind === 'time');
  const numbers = columns.filter((c) => c.kind === 'number');
  const texts = columns.filter((c) => c.kind === 'text');
  const fewValues = texts.filter((c) => (c.distinct ?? Infinity) <= 12);
  if (times.length && numbers.length) {
    const config: ChartConfig = { mark: 'line', x: times[0].name, y: numbers[0].name, aggregate: 'sum', sort: 'natural' };
    if (fewValues.length) config.color = fewValues[0].name;
    return config;
  }
  if (texts.length >= 2 && numbers.length) {
    return { mark: 'cell', x: texts[0].name, y: texts[1].name, color: numbers[0].name, aggregate: 'sum', sort: 'natural' };
  }
  if (texts.length && numbers.length) return { mark: 'bar', x: texts[0].name, y: numbers[0].name, aggregate: 'sum', sort: 'value, largest first' };
  if (numbers.length) return { mark: 'histogram', x: numbers[0].name, aggregate: 'count', sort: 'natural' };
  if (texts.length) return { mark: 'bar', x: texts[0].name, aggregate: 'count', sort: 'value, largest first' };
  return { mark: 'dot', aggregate: 'none', sort: 'natural' };
}

const quote = (text: string) => JSON.stringify(text);

/**
 * Readable Observable Plot code for a chart of `table` (a name a JS cell can read): one
 * `Plot.plot({...})` with its marks, a time scale for dates, a grid and axis labels, and a
 * legend when a column gives the colour.
 *
 * @example
 * chartCode({ mark: 'bar', x: 'event', y: 'people', aggregate: 'sum', sort: 'value, largest first' }, 'event_counts', columns);
 * // 'Plot.plot({ ... marks: [ Plot.barY(event_counts, Plot.groupX({ y: "sum" }, { x: "event", y: "people", sort: { x: "y", reverse: true } })), Plot.ruleY([0]) ] })'
 */
export function chartCode(config: ChartConfig, table: string, columns: readonly ChartColumn[]): string {
  const column = (name: string | undefined) => columns.find((c) => c.name === name);
  const channel = (name: string) => (column(name)?.isoDates ? `(d) => new Date(d[${quote(name)}])` : quote(name));
  const x = config.x;
  const y = config.y;
  const xTime = column(x)?.kind === 'time';
  const aggregate = config.aggregate;
  const options: string[] = [];
  const scales: string[] = [];
  const marks: string[] = [];
  const facet = config.facet ? [`fy: ${channel(config.facet)}`] : [];

  const yLabel = (agg: ChartAggregate) => (agg === 'count' ? 'count' : y ? (agg === 'none' ? y : `${agg} of ${y}`) : undefined);
  const sortOption = config.sort === 'natural' ? [] : [`sort: { x: "y"${config.sort === 'value, largest first' ? ', reverse: true' : ''} }`];
  const fields = (entries: (string | false | undefined)[]) => `{ ${entries.filter(Boolean).join(', ')} }`;

  switch (config.mark) {
    case 'bar':
    case 'line':
    case 'area': {
      const colour = config.color ? (config.mark === 'line' ? `stroke: ${channel(config.color)}` : `fill: ${channel(config.color)}`) : undefined;
      const name = config.mark === 'bar' ? (xTime ? 'rectY' : 'barY') : config.mark === 'line' ? 'lineY' : 'areaY';
      const inner = fields([x && `x: ${channel(x)}`, aggregate !== 'count' && y && `y: ${channel(y)}`, colour, ...facet, ...(config.mark === 'bar' && !xTime ? sortOption : [])]);
      if (config.mark === 'bar' && xTime) {
        marks.push(`Plot.rectY(${table}, Plot.binX({ y: ${quote(aggregate === 'none' ? 'sum' : aggregate)} }, ${inner}))`);
      } else if (aggregate === 'none') {
        marks.push(`Plot.${name}(${table}, ${inner})`);
      } else {
        marks.push(`Plot.${name}(${table}, Plot.groupX({ y: ${quote(aggregate)} }, ${inner}))`);
      }
      if (config.mark !== 'line') marks.push('Plot.ruleY([0])');
      scales.push(`y: { grid: true${yLabel(aggregate === 'none' && config.mark === 'bar' && xTime ? 'sum' : aggregate) ? `, label: ${quote(yLabel(aggregate === 'none' && config.mark === 'bar' && xTime ? 'sum' : aggregate)!)}` : ''} }`);
      break;
    }
    case 'dot': {
      const colour = config.color ? `fill: ${channel(config.color)}` : undefined;
      marks.push(`Plot.dot(${table}, ${fields([x && `x: ${channel(x)}`, y && `y: ${channel(y)}`, colour, ...facet])})`);
      scales.push('y: { grid: true }');
      break;
    }
    case 'cell': {
      const value = config.color;
      if (aggregate === 'none' || !value) {
        marks.push(`Plot.cell(${table}, ${fields([x && `x: ${channel(x)}`, y && `y: ${channel(y)}`, value && `fill: ${channel(value)}`, ...facet])})`);
      } else {
        const inner = fields([x && `x: ${channel(x)}`, y && `y: ${channel(y)}`, aggregate !== 'count' && `fill: ${channel(value)}`, ...facet]);
        marks.push(`Plot.cell(${table}, Plot.group({ fill: ${quote(aggregate)} }, ${inner}))`);
      }
      scales.push(`color: { scheme: "blues", legend: true${value && aggregate !== 'none' ? `, label: ${quote(aggregate === 'count' ? 'count' : `${aggregate} of ${value}`)}` : ''} }`);
      break;
    }
    case 'histogram': {
      const colour = config.color ? `fill: ${channel(config.color)}` : undefined;
      marks.push(`Plot.rectY(${table}, Plot.binX({ y: "count" }, ${fields([x && `x: ${channel(x)}`, colour, ...facet])}))`);
      marks.push('Plot.ruleY([0])');
      scales.push('y: { grid: true, label: "count" }');
      break;
    }
  }
  if (xTime) scales.unshift(`x: { type: "utc"${x ? `, label: ${quote(x)}` : ''} }`);
  else if (config.mark !== 'cell' && config.mark !== 'histogram' && x && column(x)?.kind === 'text') options.push('marginBottom: 60');
  if (config.color && config.mark !== 'cell') scales.push('color: { legend: true }');
  if (config.mark === 'cell' && x && column(x)?.kind === 'text') options.push('marginLeft: 80');
  if (config.mark === 'bar' && !xTime) scales.unshift('x: { tickRotate: -30 }');
  return `Plot.plot({\n${[...options, ...scales].map((line) => `  ${line},\n`).join('')}  marks: [\n${marks.map((m) => `    ${m}`).join(',\n')}\n  ]\n})`;
}
