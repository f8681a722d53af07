/** The canonical columns of the `events` view (DESIGN.md, "The event contract"). */
export type CanonicalColumn = 'user_id' | 'event' | 'ts' | 'revenue';

/** Where a canonical column comes from: a column of the file, or (for `event`) a constant. */
export type ColumnSource = { column: string } | { constant: string };

/**
 * How a file's columns become the event contract. `event` may be a constant for logs of one kind
 * of event (orders, invoices); `revenue` may be absent.
 */
export interface ColumnMapping {
  user_id: string;
  event: ColumnSource;
  ts: string;
  revenue: string | null;
}

/** A person's overrides, as `--map user_id=COL,event=:purchase` or the data panel's form. */
export type MappingOverrides = Partial<Record<CanonicalColumn, string>>;

const CANDIDATES: Record<CanonicalColumn, string[]> = {
  user_id: ['user_id', 'userid', 'distinct_id', 'customer_id', 'customerid', 'person_id', 'account_id',
    'client_id', 'member_id', 'visitor_id', 'anonymous_id', 'device_id', 'uid', 'user', 'customer'],
  event: ['event', 'event_name', 'eventname', 'event_type', 'eventtype', 'action', 'activity'],
  ts: ['ts', 'timestamp', 'time', 'event_time', 'eventtime', 'event_timestamp', 'datetime', 'date_time',
    'invoicedate', 'invoice_date', 'order_date', 'created_at', 'occurred_at', 'date'],
  revenue: ['revenue', 'amount', 'total', 'value', 'sales', 'order_total', 'price'],
};

const simplify = (name: string) => name.toLowerCase().replace(/[\s_\-.]+/g, '');

/** Finds the column a canonical name most likely lives in, by the common names above. */
function guessColumn(canonical: CanonicalColumn, columns: string[]): string | undefined {
  const bySimple = new Map(columns.map((column) => [simplify(column), column]));
  for (const candidate of CANDIDATES[canonical]) {
    const found = bySimple.get(simplify(candidate));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Parses `user_id=CustomerID,event=:purchase` into overrides; throws on anything else. */
export function parseMappingOverrides(text: string): MappingOverrides {
  const overrides: MappingOverrides = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    if (eq < 0 || !(key in CANDIDATES)) {
      throw new Error(`invalid mapping "${part}": expected user_id=COLUMN, event=COLUMN (or event=:name), ts=COLUMN or revenue=COLUMN`);
    }
    overrides[key as CanonicalColumn] = part.slice(eq + 1).trim();
  }
  return overrides;
}

/** Writes a mapping as the `--map` text that reproduces it. */
export function formatMapping(mapping: ColumnMapping): string {
  const event = 'constant' in mapping.event ? `:${mapping.event.constant}` : mapping.event.column;
  const parts = [`user_id=${mapping.user_id}`, `event=${event}`, `ts=${mapping.ts}`];
  if (mapping.revenue) parts.push(`revenue=${mapping.revenue}`);
  return parts.join(',');
}

/** The outcome of mapping: a mapping, or the problem with the role (and column) it names. */
export type MappingResult = { ok: true; mapping: ColumnMapping } | { ok: false; role: CanonicalColumn; column?: string; problem: string };

/** The column each role is guessed to be, from the common names; roles nothing looks like are absent. */
export function guessMapping(columns: string[]): Partial<Record<CanonicalColumn, string>> {
  const guess: Partial<Record<CanonicalColumn, string>> = {};
  for (const role of Object.keys(CANDIDATES) as CanonicalColumn[]) {
    const found = guessColumn(role, columns);
    if (found !== undefined) guess[role] = found;
  }
  return guess;
}

const ROLE_NAMES: Record<CanonicalColumn, string> = { user_id: 'user', event: 'event', ts: 'time', revenue: 'revenue' };

/**
 * The `--map` that would fix a mapping problem of this role, for the command line to add to the
 * message (the browser's import step asks instead, and never names a flag).
 *
 * @example
 * mappingHint('event'); // 'name one with --map event=COLUMN, or name the one kind of event the file logs with --map event=:purchase'
 */
export function mappingHint(role: CanonicalColumn): string {
  if (role === 'event') return 'name one with --map event=COLUMN, or name the one kind of event the file logs with --map event=:purchase';
  return `name one with --map ${role}=COLUMN`;
}

/**
 * Guesses the mapping from the file's column names and applies a person's overrides on top.
 *
 * @example
 * resolveMapping(['CustomerID', 'InvoiceDate', 'UnitPrice'], { event: ':purchase' })
 * // { ok: true, mapping: { user_id: 'CustomerID', event: { constant: 'purchase' }, ts: 'InvoiceDate', revenue: null } }
 */
export function resolveMapping(columns: string[], overrides: MappingOverrides = {}): MappingResult {
  const listed = columns.map((c) => `"${c}"`).join(', ');
  for (const [key, value] of Object.entries(overrides) as [CanonicalColumn, string][]) {
    if (key === 'event' && value.startsWith(':')) {
      if (value.length === 1 || !value.slice(1).trim()) return { ok: false, role: 'event', problem: 'the event name for every row is empty: give one, such as purchase' };
      continue;
    }
    if (key === 'revenue' && value === '') continue;
    if (!columns.includes(value)) {
      return { ok: false, role: key, column: value, problem: `the ${ROLE_NAMES[key]} column "${value}" is not a column of the file (its columns: ${listed})` };
    }
  }
  const user = overrides.user_id ?? guessColumn('user_id', columns);
  if (!user) {
    return { ok: false, role: 'user_id', problem: `no user column: none of its columns (${listed}) looks like a user id` };
  }
  const eventText = overrides.event ?? guessColumn('event', columns);
  if (!eventText) {
    return { ok: false, role: 'event', problem: `no event column: none of its columns (${listed}) names the event` };
  }
  const ts = overrides.ts ?? guessColumn('ts', columns);
  if (!ts) {
    return { ok: false, role: 'ts', problem: `no timestamp column: none of its columns (${listed}) looks like a time` };
  }
  const revenue = overrides.revenue !== undefined ? overrides.revenue || null : guessColumn('revenue', columns) ?? null;
  const event: ColumnSource = eventText.startsWith(':') ? { constant: eventText.slice(1) } : { column: eventText };
  const used = [user, ts, 'column' in event ? event.column : undefined].filter(Boolean);
  if (new Set(used).size !== used.length) {
    return { ok: false, role: 'user_id', problem: `one column cannot be two things: the user is "${user}", the event ${eventText.startsWith(':') ? `"${eventText.slice(1)}" for every row` : `"${eventText}"`}, the time "${ts}"` };
  }
  return { ok: true, mapping: { user_id: user, event, ts, revenue: revenue === user || revenue === ts ? null : revenue } };
}
