import type { Engine } from '../engine.ts';
import { quoteIdent, quoteString } from '../sql.ts';

/**
 * How a column's values become UTC timestamps. Text with an offset (`Z`, `+02:00`) is converted
 * to UTC; text without one is read as UTC.
 */
export type TimestampRule =
  | { kind: 'native' }
  | { kind: 'iso' }
  | { kind: 'epoch'; unit: 's' | 'ms' | 'us' }
  | { kind: 'format'; format: string };

/** Local formats tried in order; month-first wins a tie, as in the UCI data's `12/1/2010 8:26`. */
export const LOCAL_FORMATS = [
  '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y %I:%M:%S %p', '%m/%d/%Y %I:%M %p', '%m/%d/%Y',
  '%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y',
  '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M', '%d.%m.%Y',
  '%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y/%m/%d',
  '%d-%m-%Y %H:%M:%S', '%d-%m-%Y %H:%M', '%d-%m-%Y',
  '%m/%d/%y %H:%M', '%m/%d/%y',
  '%d %b %Y %H:%M:%S', '%d %b %Y', '%b %d %Y %H:%M:%S', '%b %d, %Y %H:%M:%S', '%b %d, %Y',
];

const NUMERIC_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;
const TIME_TYPES = /^(TIMESTAMP.*|DATE)$/;

/** The SQL expression that turns `column` into a UTC `TIMESTAMP` under `rule`. */
export function timestampExpression(column: string, rule: TimestampRule): string {
  const c = quoteIdent(column);
  switch (rule.kind) {
    case 'native': return `CAST(${c} AS TIMESTAMP)`;
    case 'iso': return `CAST(TRY_CAST(trim(${c}) AS TIMESTAMPTZ) AS TIMESTAMP)`;
    case 'epoch': {
      const factor = rule.unit === 's' ? '1000' : rule.unit === 'ms' ? '1' : '0.001';
      return `epoch_ms(CAST(round(TRY_CAST(${c} AS DOUBLE) * ${factor}) AS BIGINT))`;
    }
    case 'format': return `try_strptime(trim(${c}), ${quoteString(rule.format)})`;
  }
}

/** An epoch's unit from its largest magnitude: seconds until the year 5138, then ms, then µs. */
function epochUnit(maxAbs: number): 's' | 'ms' | 'us' {
  return maxAbs < 1e11 ? 's' : maxAbs < 1e14 ? 'ms' : 'us';
}

/** The first value no rule can read, for the error message. */
export interface UnreadableTimestamp {
  value: string;
  row: number;
}

export type TimestampChoice = { ok: true; rule: TimestampRule } | { ok: false; unreadable: UnreadableTimestamp };

/**
 * Chooses the rule that reads every present value of `column` in `table` (rows passing `keep`),
 * trying ISO text, epoch numbers and the local formats over the whole column in one scan.
 */
export async function chooseTimestampRule(
  engine: Engine, table: string, column: string, type: string, keep: string,
): Promise<TimestampChoice> {
  const c = quoteIdent(column);
  const t = quoteIdent(table);
  if (TIME_TYPES.test(type)) return { ok: true, rule: { kind: 'native' } };
  if (NUMERIC_TYPES.test(type)) {
    const stats = await engine.query(`SELECT max(abs(${c}))::DOUBLE AS m FROM ${t} WHERE ${keep}`);
    return { ok: true, rule: { kind: 'epoch', unit: epochUnit(Number(stats.get(0)?.m ?? 0)) } };
  }
  const present = `(${keep}) AND ${c} IS NOT NULL AND trim(CAST(${c} AS VARCHAR)) <> ''`;
  const v = `trim(CAST(${c} AS VARCHAR))`;
  const candidates: { rule: TimestampRule; fails: string }[] = [
    { rule: { kind: 'iso' }, fails: `TRY_CAST(${v} AS TIMESTAMPTZ) IS NULL` },
    { rule: { kind: 'epoch', unit: 's' }, fails: `TRY_CAST(${v} AS DOUBLE) IS NULL` },
    ...LOCAL_FORMATS.map((format) => ({ rule: { kind: 'format', format } as TimestampRule, fails: `try_strptime(${v}, ${quoteString(format)}) IS NULL` })),
  ];
  const counts = candidates.map((candidate, i) => `count(*) FILTER (WHERE ${candidate.fails}) AS f${i}`).join(', ');
  const row = (await engine.query(`SELECT ${counts}, max(abs(TRY_CAST(${v} AS DOUBLE))) AS epoch_max FROM ${t} WHERE ${present}`)).get(0)!;
  let best = 0;
  candidates.forEach((_, i) => { if (Number(row[`f${i}`]) < Number(row[`f${best}`])) best = i; });
  if (Number(row[`f${best}`]) === 0) {
    const rule = candidates[best].rule;
    return { ok: true, rule: rule.kind === 'epoch' ? { kind: 'epoch', unit: epochUnit(Number(row.epoch_max)) } : rule };
  }
  const first = await engine.query(
    `SELECT ${v} AS value, rowid AS row FROM ${t} WHERE ${present} AND ${candidates[best].fails} ORDER BY rowid LIMIT 1`);
  const found = first.get(0)!;
  return { ok: false, unreadable: { value: String(found.value), row: Number(found.row) + 1 } };
}
