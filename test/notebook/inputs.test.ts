import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ColumnTable } from 'arquero';
import type { Engine } from '../../src/engine/index.ts';
import {
  NotebookRuntime, bindTemplate, createCell, parseInputSpec, sqlTemplate, withInputValue, isInputDisplay,
  type Cell, type RuntimeHost,
} from '../../src/notebook/index.ts';
import { loadTestEvents } from '../helpers/events.ts';
import { createNodeHost } from './node-host.ts';

let engine: Engine;
let host: RuntimeHost;

// platform ios: u1 (2 events), u3 (1); android: u2 (2); web: u4 (1) and an O'Brien row
const EVENTS = [
  { user_id: 'u1', event: 'signup', ts: '2024-01-01T09:00:00Z', platform: 'ios' },
  { user_id: 'u1', event: 'purchase', ts: '2024-01-02T10:00:00Z', platform: 'ios', revenue: 10 },
  { user_id: 'u2', event: 'signup', ts: '2024-01-03T11:00:00Z', platform: 'android' },
  { user_id: 'u2', event: 'purchase', ts: '2024-01-05T12:00:00Z', platform: 'android', revenue: 7 },
  { user_id: 'u3', event: 'signup', ts: '2024-01-08T08:00:00Z', platform: 'ios' },
  { user_id: 'u4', event: 'signup', ts: '2024-01-10T08:00:00Z', platform: 'web' },
  { user_id: "o'brien", event: 'signup', ts: '2024-01-11T08:00:00Z', platform: "x' OR '1'='1" },
];
const countWhere = (keep: (e: (typeof EVENTS)[number]) => boolean) => EVENTS.filter(keep).length;

beforeAll(async () => {
  ({ engine, host } = await createNodeHost());
  await loadTestEvents(engine, EVENTS);
});

afterAll(async () => {
  await engine?.close();
});

async function run(cells: Cell[]): Promise<NotebookRuntime> {
  const runtime = new NotebookRuntime(host);
  runtime.setCells(cells);
  await runtime.idle();
  return runtime;
}

const first = (runtime: NotebookRuntime, cell: Cell, column: string) => (runtime.state(cell.id).value as ColumnTable).get(column, 0);

describe('input cells', () => {
  test('a select\'s options come from a query; a SQL cell reads ${name} as a bound parameter; a new value re-runs it', async () => {
    const input = createCell('input', 'type: select\noptions: SELECT DISTINCT platform FROM events ORDER BY 1\nvalue: ios', { name: 'platform' });
    const reader = createCell('sql', 'SELECT count(*) AS n FROM events WHERE platform = ${platform}', { name: 'by_platform' });
    const runtime = await run([input, reader]);
    const shown = runtime.state(input.id).value;
    expect(isInputDisplay(shown) && shown.options).toEqual(['android', 'ios', 'web', "x' OR '1'='1"]);
    expect(runtime.state(reader.id).references).toEqual(['platform']);
    expect(first(runtime, reader, 'n')).toBe(countWhere((e) => e.platform === 'ios'));

    const changed = { ...input, source: withInputValue(input.source, 'android') };
    expect(changed.source).toBe('type: select\noptions: SELECT DISTINCT platform FROM events ORDER BY 1\nvalue: android');
    runtime.setCells([changed, reader]);
    await runtime.idle();
    expect(first(runtime, reader, 'n')).toBe(countWhere((e) => e.platform === 'android'));

    // a value that looks like SQL is a value: it matches its own row, nothing else
    runtime.setCells([{ ...input, source: withInputValue(input.source, "x' OR '1'='1") }, reader]);
    await runtime.idle();
    expect(first(runtime, reader, 'n')).toBe(1);
  });

  test('a multi-select is a list for IN ${name}; an empty one matches nothing', async () => {
    const input = createCell('input', 'type: multi-select\noptions: [ios, android, web]\nvalue: [ios, web]', { name: 'platforms' });
    const reader = createCell('sql', "SELECT count(DISTINCT user_id) AS people FROM events WHERE platform IN ${platforms}");
    const runtime = await run([input, reader]);
    expect(first(runtime, reader, 'people')).toBe(new Set(EVENTS.filter((e) => e.platform === 'ios' || e.platform === 'web').map((e) => e.user_id)).size);
    runtime.setCells([{ ...input, source: withInputValue(input.source, []) }, reader]);
    await runtime.idle();
    expect(first(runtime, reader, 'people')).toBe(0);
  });

  test('a slider, a toggle and a date range, read by SQL and by JS', async () => {
    const days = createCell('input', 'type: slider\nmin: 1\nmax: 30\nstep: 1\nvalue: 5', { name: 'days' });
    const paid = createCell('input', 'type: toggle\nlabel: Paid only\nvalue: true', { name: 'paid' });
    const range = createCell('input', 'type: date-range\nvalue: [2024-01-02, 2024-01-08]', { name: 'range' });
    const sqlReader = createCell('sql', `SELECT count(*) AS n FROM events
WHERE ts::DATE BETWEEN \${range.from} AND \${range.to} AND (NOT \${paid} OR revenue IS NOT NULL)`);
    const jsReader = createCell('js', 'days * 2 + (paid ? 1 : 0)');
    const runtime = await run([days, paid, range, sqlReader, jsReader]);
    expect(runtime.state(jsReader.id).value).toBe(11);
    expect(first(runtime, sqlReader, 'n')).toBe(countWhere((e) => e.ts.slice(0, 10) >= '2024-01-02' && e.ts.slice(0, 10) <= '2024-01-08' && e.revenue !== undefined));
    // a date range with no value spans the log, first day to last
    const open = { ...range, source: 'type: date-range' };
    runtime.setCells([days, paid, open, sqlReader, jsReader]);
    await runtime.idle();
    const value = runtime.outputsOf(open.id)!.range as { from: Date; to: Date };
    expect([value.from.toISOString().slice(0, 10), value.to.toISOString().slice(0, 10)]).toEqual(['2024-01-01', '2024-01-11']);
  });

  test('an analysis field can take an input\'s value', async () => {
    const event = createCell('input', 'type: select\noptions: SELECT DISTINCT event FROM events ORDER BY 1\nvalue: purchase', { name: 'step' });
    const stickiness = createCell('analysis', '{"period": "day", "event": "${step}"}', { analysis: 'stickiness', name: 'sticky' });
    const runtime = await run([event, stickiness]);
    expect(runtime.state(stickiness.id).references).toEqual(['step']);
    const rows = (runtime.state(stickiness.id).value as ColumnTable).objects() as { users: number }[];
    // two people purchased, each on one day
    expect(rows.reduce((sum, r) => sum + r.users, 0)).toBe(2);
  });

  test('an untrusted notebook\'s inputs hold their values and its SQL reads them; its JavaScript waits', async () => {
    const input = createCell('input', 'type: select\noptions: [ios, web]\nvalue: web', { name: 'platform' });
    const reader = createCell('sql', 'SELECT count(*) AS n FROM events WHERE platform = ${platform}');
    const js = createCell('js', 'platform.toUpperCase()');
    const runtime = new NotebookRuntime(host);
    runtime.setTrusted(false);
    runtime.setCells([input, reader, js]);
    await runtime.idle();
    expect(first(runtime, reader, 'n')).toBe(countWhere((e) => e.platform === 'web'));
    expect(runtime.state(js.id).status).toBe('idle');
  });

  test('errors name the field: a bad type, a missing name, a name no cell defines', async () => {
    const bad = createCell('input', 'type: dropdown', { name: 'x' });
    const unnamed = createCell('input', 'type: text');
    const unknown = createCell('sql', 'SELECT ${nobody} AS n');
    const runtime = await run([bad, unnamed, unknown]);
    expect(runtime.state(bad.id).error?.message).toBe('the input\'s type must be one of select, multi-select, slider, number, text, date-range, toggle, not "dropdown"');
    expect(runtime.state(bad.id).error?.line).toBe(1);
    expect(runtime.state(unnamed.id).error?.message).toMatch(/^an input needs a name/);
    expect(runtime.state(unknown.id).error?.message).toBe('unknown name "${nobody}": no cell or input defines it');
    expect(() => parseInputSpec('type: select')).toThrow(/a select needs options/);
  });
});

describe('SQL templates', () => {
  test('values become placeholders; quotes around one are not needed; lists and dates are bound too', () => {
    const template = sqlTemplate("SELECT * FROM events WHERE platform = '${platform}' AND event IN ${events} AND ts >= ${range.from}");
    expect(template.text).toBe('SELECT * FROM events WHERE platform = ? AND event IN ? AND ts >= ?');
    const values: Record<string, unknown> = { platform: 'ios', events: ['a', 'b'], range: { from: new Date('2024-01-02T00:00:00Z') } };
    expect(bindTemplate(template, (name) => values[name])).toEqual({
      sql: 'SELECT * FROM events WHERE platform = ? AND event IN (?, ?) AND ts >= CAST(? AS DATE)',
      params: ['ios', 'a', 'b', '2024-01-02'],
    });
    expect(() => bindTemplate(sqlTemplate('SELECT ${range}'), () => ({ from: 1, to: 2 }))).toThrow('${range} is an object (from, to): write ${range.from}');
  });
});

describe('withInputValue', () => {
  test('rewrites the value\'s own text only: comments, spacing and quoting elsewhere stay', () => {
    expect(withInputValue('type: select   # c\noptions: [ios, web]\nvalue: ios', 'web')).toBe('type: select   # c\noptions: [ios, web]\nvalue: web');
    expect(withInputValue('type: select\nvalue: ios  # kept\nlabel: x', "it's")).toBe("type: select\nvalue: it's  # kept\nlabel: x");
    expect(withInputValue('type: multi-select\noptions: [a, b]', ['a', 'b'])).toBe('type: multi-select\noptions: [a, b]\nvalue: [ a, b ]');
    expect(withInputValue('type: text\nvalue:\nlabel: x', 'hi')).toBe('type: text\nvalue: hi\nlabel: x');
    expect(withInputValue('type: text\nvalue: "a: b"', 'c: d')).toBe('type: text\nvalue: "c: d"');
  });
});
