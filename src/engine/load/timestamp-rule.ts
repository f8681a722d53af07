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

/**
 * The rule chosen, or the value that stops every rule. For text, `range` holds the first and last
 * times the rule read (epoch milliseconds of `timestampExpression`; null when the column is empty).
 */
export type TimestampChoice =
  | { ok: true; rule: TimestampRule; range?: { firstMs: number | null; lastMs: number | null } }
  | { ok: false; unreadable: UnreadableTimestamp };

/** Rows of the table sampled (those with a time and a user count) to try every candidate on. */
const SAMPLE_ROWS = 1000;

interface Candidate {
  rule: TimestampRule;
  /** SQL reading the trimmed text `v`; NULL when the rule cannot read it. */
  read: (v: string) => string;
}

const CANDIDATES: Candidate[] = [
  { rule: { kind: 'iso' }, read: (v) => `TRY_CAST(${v} AS TIMESTAMPTZ)` },
  { rule: { kind: 'epoch', unit: 's' }, read: (v) => `TRY_CAST(${v} AS DOUBLE)` },
  ...LOCAL_FORMATS.map((format): Candidate => ({ rule: { kind: 'format', format }, read: (v) => `try_strptime(${v}, ${quoteString(format)})` })),
];

/**
 * Chooses the rule that reads every present value of `column` in `table` (rows passing `keep`):
 * the first of ISO text, epoch numbers and the local formats, in that order, that reads them all.
 * When none does, the rule that fails on the fewest rows names the first row it cannot read.
 *
 * Every candidate is tried on a sample of rows first, which is cheap; then candidates are checked
 * over the whole column one at a time, each with one expression per row, in order of their
 * failures in the sample. A candidate's failures in the sample are a lower bound on its failures
 * in the column, so the ones that cannot beat the best found so far are never checked in full.
 * The choice is the same as checking every candidate on every row (several seconds per failing
 * `try_strptime` format on a large column in DuckDB-WASM), usually for the price of one scan.
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
  const v = `trim(CAST(${c} AS VARCHAR))`;
  const present = `(${keep}) AND ${c} IS NOT NULL AND ${v} <> ''`;
  const sampled = (await engine.query(`SELECT ${CANDIDATES.map((candidate, i) => `count(*) FILTER (WHERE ${candidate.read('v')} IS NULL) AS f${i}`).join(', ')}
    FROM (SELECT ${v} AS v FROM ${t} TABLESAMPLE reservoir(${SAMPLE_ROWS} ROWS) REPEATABLE (1) WHERE ${present})`)).get(0)!;
  const order = CANDIDATES.map((_, i) => ({ i, sampleFails: Number(sampled[`f${i}`]) }))
    .sort((a, b) => a.sampleFails - b.sampleFails || a.i - b.i);
  let best: { i: number; fails: number; row: number; full: Record<string, unknown> } | undefined;
  for (const { i, sampleFails } of order) {
    // the sample is part of the column: this candidate fails on at least sampleFails rows
    if (best && (sampleFails > best.fails || (sampleFails === best.fails && i > best.i))) break;
    const { rule, read } = CANDIDATES[i];
    const extra = rule.kind === 'epoch' ? 'max(abs(r)) AS epoch_max'
      : 'epoch_ms(CAST(min(r) AS TIMESTAMP)) AS first_ms, epoch_ms(CAST(max(r) AS TIMESTAMP)) AS last_ms';
    const full = (await engine.query(`SELECT count(*) FILTER (WHERE r IS NULL) AS fails, min(rowid) FILTER (WHERE r IS NULL) AS row, ${extra}
      FROM (SELECT rowid, ${read(v)} AS r FROM ${t} WHERE ${present})`)).get(0)!.toJSON();
    const fails = Number(full.fails);
    if (!best || fails < best.fails || (fails === best.fails && i < best.i)) best = { i, fails, row: Number(full.row ?? -1), full };
  }
  if (best!.fails === 0) {
    const { rule } = CANDIDATES[best!.i];
    const { epoch_max: epochMax, first_ms: firstMs, last_ms: lastMs } = best!.full;
    if (rule.kind === 'epoch') return { ok: true, rule: { kind: 'epoch', unit: epochUnit(Number(epochMax ?? 0)) } };
    return { ok: true, rule, range: { firstMs: firstMs == null ? null : Number(firstMs), lastMs: lastMs == null ? null : Number(lastMs) } };
  }
  const found = (await engine.query(`SELECT ${v} AS value FROM ${t} WHERE rowid = ${best!.row}`)).get(0)!;
  return { ok: false, unreadable: { value: String(found.value), row: best!.row + 1 } };
}
