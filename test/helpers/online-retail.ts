import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadEvents, type Engine } from '../../src/engine/index.ts';

/**
 * The UCI Online Retail log (CC BY 4.0; attribution in public/samples/README.md), as the app ships
 * it: the same bytes as shared/data/online-retail.csv.gz, so tests do not depend on where the
 * shared folder is.
 */
export const ONLINE_RETAIL = resolve(import.meta.dirname, '..', '..', 'public', 'samples', 'online-retail.csv.gz');

/** One invoice line of Online Retail, read from the CSV text without DuckDB. */
export interface RetailLine {
  invoice: string;
  /** Negative for the lines of a cancellation (an invoice starting with "C"). */
  quantity: number;
  price: number;
  customer: string;
  /** InvoiceDate as written (`2010-12-01 08:26:00`, UK wall-clock time without a zone). */
  date: string;
  /** InvoiceDate read as UTC, as the loader reads a time without an offset. */
  ms: number;
  /** `year * 12 + month - 1` of InvoiceDate. */
  month: number;
}

/** Splits one CSV record, honouring quotes (`"a, b"`, `""` for a quote); no field of this file holds a newline. */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { fields.push(field); field = ''; } else field += ch;
  }
  fields.push(field);
  return fields;
}

let cached: RetailLine[] | undefined;

/**
 * Every line of Online Retail that has a customer (the loader leaves the others out), parsed
 * once per test file: the independent pass the real-data tests compare DuckDB's numbers with.
 *
 * @example
 * const sales = onlineRetailLines().filter((line) => line.quantity > 0);
 */
export function onlineRetailLines(): RetailLine[] {
  if (cached) return cached;
  const lines = gunzipSync(readFileSync(ONLINE_RETAIL)).toString('utf8').split('\n');
  const header = csvFields(lines[0]);
  const [invoice, quantity, date, price, customer] = ['InvoiceNo', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID'].map((name) => header.indexOf(name));
  const out: RetailLine[] = [];
  for (const [i, line] of lines.entries()) {
    if (i === 0 || line === '') continue;
    const f = csvFields(line);
    if (f.length !== header.length) throw new Error(`online-retail.csv.gz, line ${i + 1}: ${f.length} fields, not ${header.length}`);
    const id = f[customer].trim();
    if (id === '') continue;
    out.push({
      invoice: f[invoice], quantity: Number(f[quantity]), price: Number(f[price]), customer: id, date: f[date],
      ms: Date.parse(`${f[date].replace(' ', 'T')}Z`),
      month: Number(f[date].slice(0, 4)) * 12 + Number(f[date].slice(5, 7)) - 1,
    });
  }
  return (cached = out);
}

/**
 * Loads Online Retail as a person does (`--map event=:purchase`: every line is a purchase), and a
 * view `retail`: the same contract as `events`, with revenue = Quantity × UnitPrice.
 *
 * @example
 * await loadOnlineRetail(engine); // then runAnalysis(engine, spec, { table: 'retail' })
 */
export async function loadOnlineRetail(engine: Engine): Promise<void> {
  await loadEvents(engine, { name: 'online-retail.csv.gz', bytes: readFileSync(ONLINE_RETAIL) }, { mapping: { event: ':purchase' } });
  await engine.exec('CREATE VIEW retail AS SELECT * REPLACE (CAST("Quantity" AS DOUBLE) * CAST("UnitPrice" AS DOUBLE) AS revenue) FROM events');
}
