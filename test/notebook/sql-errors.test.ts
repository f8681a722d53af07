import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/index.ts';
import { NotebookRuntime, createCell, createEngineHost } from '../../src/notebook/index.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';
import { loadTestEvents } from '../helpers/events.ts';

// A SQL cell's error as the notebook shows it: what is wrong in a person's terms, and where in the
// cell (line:column), from the message the engine really gives, never DuckDB's own text.

afterAll(closeTestEngines);

describe.each(ENGINE_KINDS)('SQL cell errors on %s', (kind) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await testEngine(kind);
    await loadTestEvents(engine, [{ user_id: 'u1', event: 'signup', ts: '2024-01-01T09:00:00Z' }]);
  });

  async function errorOf(source: string, name?: string) {
    const cell = createCell('sql', source, { name });
    const runtime = new NotebookRuntime(createEngineHost(engine));
    runtime.setCells([cell]);
    await runtime.idle();
    const state = runtime.state(cell.id);
    expect(state.status).toBe('error');
    return state.error;
  }

  test.each([
    ['SELECT * FROM evnts', { message: 'there is no table "evnts" (did you mean "events"?)', line: 1, column: 15 }],
    // DuckDB would suggest one of its own catalog tables (pg_enum) for a name like no other
    ['SELECT * FROM orders', { message: 'there is no table "orders"', line: 1, column: 15 }],
    ['SELECT usr FROM events', { message: 'there is no column "usr" in what this query reads (did you mean "user_id"?)', line: 1, column: 8 }],
    ['SELECT e.revnue FROM events e', { message: /^"e" has no column "revnue"/, line: 1, column: 8 }],
    ['SELECT user_id, count(*) FROM events', { message: '"user_id" is neither grouped nor aggregated: add it to GROUP BY, or wrap it in an aggregate such as any_value(user_id)', line: 1, column: 8 }],
    ['SELECT *\nFRM events', { message: 'the SQL cannot be read at "events"', line: 2, column: 5 }],
    ['SELECT count(*) FROM events WHERE', { message: 'the SQL ends too early: something is missing at its end' }],
    ['SELECT flor(1.5)', { message: 'there is no function flor() (did you mean floor()?)', line: 1, column: 8 }],
    ["SELECT CAST('abc' AS INTEGER)", { message: "the text 'abc' cannot be read as INTEGER", line: 1, column: 8 }],
    ["SELECT date_diff('day', 1, 2)", { message: /^date_diff\(\) does not take \(text, a number, a number\); it takes date_diff\(VARCHAR, DATE, DATE\) or .*: cast the arguments to one of those types$/, line: 1, column: 8 }],
    ["SELECT strptime('x', '%Y')", { message: 'the text "x" does not match the format "%Y" (expected a number)' }],
  ])('%s', async (source, expected) => {
    const error = await errorOf(source);
    const { message, ...place } = expected as { message: string | RegExp; line?: number; column?: number };
    expect(error?.message).toMatch(typeof message === 'string' ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : message);
    expect({ line: error?.line, column: error?.column }).toEqual({ line: place.line, column: place.column });
    expect(error?.message).not.toMatch(/Error:|LINE \d|\^|Candidate|memory\.main/);
  });

  test('a named cell runs wrapped in CREATE TABLE, and the place is still in the cell as written', async () => {
    const error = await errorOf('-- daily counts\nSELECT day, count(*)\nFROM evnts\nGROUP BY day', 'daily');
    expect(error).toMatchObject({ message: 'there is no table "evnts" (did you mean "events"?)', line: 3, column: 6 });
  });

  test('a message no rule knows keeps the database\'s sentence, without its class, echo or hints', async () => {
    const error = await errorOf('SELECT 1 / 0 AS x, [1, 2][5] AS y, list_extract(1, 2)');
    expect(error?.message).not.toMatch(/Error:|LINE \d|\^/);
    expect(error?.message.length).toBeGreaterThan(10);
  });
});
