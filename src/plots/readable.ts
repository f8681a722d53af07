/**
 * Numbers as people read them, for tables and chart labels: durations in days, hours, minutes and
 * seconds (`1 d 23 h`, `4 min 59 s`), rates and shares as percentages (`57.7 %`), counts with
 * separators. Only what is shown changes: CSV downloads, the command line and Arquero tables keep
 * the plain numbers.
 */

const UNITS = [
  { name: 'd', seconds: 86_400 },
  { name: 'h', seconds: 3600 },
  { name: 'min', seconds: 60 },
  { name: 's', seconds: 1 },
];

/** The units and the points sign in the languages the interface speaks (English for any other). */
const WORDS: Record<string, { d: string; h: string; min: string; s: string; pts: string }> = {
  en: { d: 'd', h: 'h', min: 'min', s: 's', pts: 'pts' },
  ru: { d: 'д', h: 'ч', min: 'мин', s: 'с', pts: 'п. п.' },
};

let numberLocale = 'en-US';

/**
 * The locale numbers are shown in (the interface's language): `57.7 %` and `1,234` in `en-US`,
 * `57,7 %` and `1 234` in `ru-RU`. Only shown text changes; values stay numbers.
 *
 * @example
 * setNumberLocale('ru-RU'); formatPercent(0.5773); // '57,7 %'
 */
export function setNumberLocale(locale: string): void {
  numberLocale = locale;
}

/** The locale numbers are shown in now. */
export function currentNumberLocale(): string {
  return numberLocale;
}

const words = () => WORDS[numberLocale.split('-')[0]] ?? WORDS.en;
/** Writes a number that was made with a decimal point in the locale's own decimal mark. */
const decimalMark = (text: string) => (new Intl.NumberFormat(numberLocale).format(1.5).includes(',') ? text.replace('.', ',') : text);

/**
 * A duration in its two largest units, rounded to the smaller one; under 10 s with a tenth.
 *
 * @example
 * formatDuration(169160.5181); // '1 d 23 h'
 * formatDuration(299.4); // '4 min 59 s'
 * formatDuration(4.25); // '4.3 s'
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const sign = seconds < 0 ? '−' : '';
  const s = Math.abs(seconds);
  const w = words();
  if (s < 10) return `${sign}${decimalMark(String(+s.toFixed(1)))} ${w.s}`;
  let first = UNITS.findIndex((u) => s >= u.seconds);
  let total = Math.round(s / UNITS[Math.min(first + 1, UNITS.length - 1)].seconds) * UNITS[Math.min(first + 1, UNITS.length - 1)].seconds;
  // 59 min 59.6 s rounds up to 1 h, not "60 min"
  if (first > 0 && total >= UNITS[first - 1].seconds) {
    first -= 1;
    total = Math.round(s / UNITS[first + 1].seconds) * UNITS[first + 1].seconds;
  }
  const big = UNITS[first];
  const small = UNITS[Math.min(first + 1, UNITS.length - 1)];
  const whole = Math.floor(total / big.seconds);
  const rest = Math.round((total - whole * big.seconds) / small.seconds);
  const name = (unit: (typeof UNITS)[number]) => w[unit.name as 'd' | 'h' | 'min' | 's'];
  if (big === small || rest === 0) return `${sign}${whole} ${name(big)}`;
  return `${sign}${whole} ${name(big)} ${rest} ${name(small)}`;
}

/**
 * A ratio as a percentage with one decimal (two significant digits below 1 %).
 *
 * @example
 * formatPercent(0.5773); // '57.7 %'
 * formatPercent(0.00123); // '0.12 %'
 */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '';
  const p = ratio * 100;
  const text = p !== 0 && Math.abs(p) < 1 ? p.toPrecision(2) : p.toFixed(1);
  return `${decimalMark(text.replace(/\.0$/, '').replace('-', '−'))} %`;
}

/** A count (or any number) with thousands separators. */
export function formatCount(value: number | bigint): string {
  return typeof value === 'bigint' || Number.isInteger(value)
    ? value.toLocaleString(numberLocale) : value.toLocaleString(numberLocale, { maximumFractionDigits: 4 });
}

/**
 * A difference of two rates in percentage points, signed.
 *
 * @example
 * formatPoints(0.0046); // '+0.5 pts'
 */
export function formatPoints(difference: number | null | undefined): string {
  if (difference === null || difference === undefined || !Number.isFinite(difference)) return '';
  const p = difference * 100;
  return `${p > 0 ? '+' : p < 0 ? '−' : ''}${decimalMark(Math.abs(p).toFixed(1))} ${words().pts}`;
}

/** How a column of analysis results reads: by its name. */
export type ColumnFormat = 'duration' | 'percent' | 'points' | null;

/**
 * The readable form of a column, from its name: `*_seconds*` columns are durations; `rate`,
 * `*_rate`, `share`, `conversion_*`, `*_churn` and `dau_mau` are ratios shown as percentages;
 * `difference`, `ci_low` and `ci_high` (an A/B test's) are percentage points.
 *
 * @example
 * columnFormat('avg_seconds_from_previous'); // 'duration'
 * columnFormat('conversion_from_start'); // 'percent'
 */
export function columnFormat(name: string): ColumnFormat {
  if (/(^|_)seconds($|_)/.test(name)) return 'duration';
  // an A/B test's difference of rates and its interval
  if (/^(difference|ci_low|ci_high)$/.test(name)) return 'points';
  if (/^(rate|share|dau_mau)$|^rate_|_(rate|share|churn)$|^conversion_/.test(name)) return 'percent';
  return null;
}

/** Metrics (in `{metric, value}` rows) whose value is a ratio: growth rates, shares, rates but burn. */
const PERCENT_METRIC = /^cmgr(_|$)|_share$|(?<!burn)_rate$/;

/**
 * A table cell as a person reads it, or null when its plain form is right: a duration, a
 * percentage (also the `value` of a `{metric, value}` row whose metric is a ratio).
 *
 * @example
 * readableCell(0.577, 'rate'); // '57.7 %'
 * readableCell(0.08, 'value', { metric: 'repeat_purchase_rate' }); // '8 %'
 */
export function readableCell(value: unknown, column: string, row?: Record<string, unknown>): string | null {
  if (typeof value !== 'number') return null;
  const format = column === 'value' && typeof row?.metric === 'string' ? (PERCENT_METRIC.test(row.metric) ? 'percent' : null) : columnFormat(column);
  if (format === 'duration') return formatDuration(value);
  if (format === 'percent') return formatPercent(value);
  if (format === 'points') return formatPoints(value);
  return null;
}
