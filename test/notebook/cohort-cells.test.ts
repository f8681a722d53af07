import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/index.ts';
import { NotebookRuntime, writeNotebook, parseNotebook, type RuntimeHost } from '../../src/notebook/index.ts';
import { loadTestEvents } from '../helpers/events.ts';
import { createNodeHost } from './node-host.ts';

let engine: Engine;
let host: RuntimeHost;

beforeAll(async () => {
  ({ engine, host } = await createNodeHost());
  await loadTestEvents(engine, [
    { user_id: 'ann', event: 'signup', ts: '2024-03-01T10:00:00Z', plan: 'pro' },
    { user_id: 'ann', event: 'invite', ts: '2024-03-02T10:00:00Z' },
    { user_id: 'ann', event: 'open', ts: '2024-03-12T10:00:00Z' },
    { user_id: 'bob', event: 'signup', ts: '2024-03-01T11:00:00Z', plan: 'free' },
    { user_id: 'bob', event: 'invite', ts: '2024-03-20T11:00:00Z' },
    { user_id: 'cyd', event: 'signup', ts: '2024-03-04T11:00:00Z', plan: 'pro' },
    { user_id: 'cyd', event: 'invite', ts: '2024-03-05T11:00:00Z' },
  ]);
});

afterAll(async () => {
  await engine?.close();
});

async function run(text: string) {
  const notebook = parseNotebook(text);
  const runtime = new NotebookRuntime(host);
  runtime.setTrusted(true);
  runtime.setCells(notebook.cells);
  await runtime.idle();
  return { notebook, runtime, state: (i: number) => runtime.state(notebook.cells[i].id) };
}

const NOTEBOOK = `# Invites

\`\`\`cohort id=activated
{"match": "all", "rules": [{"did": "invite", "within_days_of_first_seen": 7}]}
\`\`\`

\`\`\`cohort id=activated_pro
{"rules": [{"in_cohort": "activated"}, {"property": "plan", "op": "=", "value": "pro"}]}
\`\`\`

\`\`\`stickiness id=sticky
{"period": "day", "date_from": "2024-03-01", "date_to": "2024-03-31", "breakdown_cohorts": ["activated"]}
\`\`\`
`;

test('cohort cells list their members; other cells name them; the file round-trips', async () => {
  const { notebook, state } = await run(NOTEBOOK);
  expect(writeNotebook(notebook)).toBe(NOTEBOOK);
  expect(notebook.cells.map((c) => [c.kind, c.analysis ?? null, c.name ?? null])).toEqual([
    ['markdown', null, null], ['analysis', 'cohort', 'activated'], ['analysis', 'cohort', 'activated_pro'], ['analysis', 'stickiness', 'sticky'],
  ]);
  // ann and cyd invited within a week of their first event; bob 19 days after
  expect(state(1).result?.rows.map((r) => r.user_id)).toEqual(['ann', 'cyd']);
  expect(state(1).result?.meta.size).toBe(2);
  expect(state(2).result?.rows.map((r) => r.user_id)).toEqual(['ann', 'cyd']);
  const sticky = state(3).result!.rows.filter((r) => (r.users as number) > 0);
  expect(sticky).toEqual([
    { periods_active: 2, users: 1, breakdown_cohort: 'activated' },
    { periods_active: 3, users: 1, breakdown_cohort: 'activated' },
    { periods_active: 2, users: 1, breakdown_cohort: 'not activated' },
  ]);
  expect(state(3).references).toEqual(['activated']);
});

test('a cycle between cohort cells, a cohort naming itself and an unknown cohort are errors on the cells', async () => {
  const { state } = await run(`\`\`\`cohort id=a
{"rules": [{"in_cohort": "b"}]}
\`\`\`

\`\`\`cohort id=b
{"rules": [{"did": "signup"}, {"not_in_cohort": "a"}]}
\`\`\`

\`\`\`cohort id=c
{"rules": [{"in_cohort": "c"}]}
\`\`\`

\`\`\`lifecycle id=l
{"cohort": "nobody"}
\`\`\`
`);
  expect(state(0).error?.message).toBe('cycle: a → b → a');
  expect(state(1).error?.message).toBe('cycle: b → a → b');
  expect(state(2).error?.message).toBe('cohort cycle: c → c');
  expect(state(3).error?.message).toBe('unknown cohort "nobody": no cohort cell defines it (add one: ```cohort id=nobody)');
});

test('a static cohort is a list of ids', async () => {
  const { state } = await run('```cohort id=picked\n{"user_ids": ["bob", "zed"]}\n```\n');
  expect(state(0).result?.rows).toEqual([
    { user_id: 'bob', first_seen: '2024-03-01T11:00:00.000Z', last_seen: '2024-03-20T11:00:00.000Z', events: 2, qualifying_events: null },
  ]);
});
