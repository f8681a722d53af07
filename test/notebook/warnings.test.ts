import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/index.ts';
import '../../src/analytics/index.ts';
import { NotebookRuntime, parseNotebook, type RuntimeHost } from '../../src/notebook/index.ts';
import { loadTestEvents } from '../helpers/events.ts';
import { createNodeHost } from './node-host.ts';

// An event name that never occurs: the cell still shows its result, and says so beside it.
let engine: Engine;
let host: RuntimeHost;
beforeAll(async () => {
  ({ engine, host } = await createNodeHost());
  await loadTestEvents(engine, [
    { user_id: 'a', event: 'signup', ts: '2024-01-01T09:00:00Z' },
    { user_id: 'a', event: 'purchase', ts: '2024-01-02T09:00:00Z' },
    { user_id: 'b', event: 'signup', ts: '2024-01-03T09:00:00Z' },
  ]);
});
afterAll(async () => engine?.close());

const NOTEBOOK = `# Warnings

\`\`\`funnel id=three
{"steps": ["signup", "purchase", "step three"]}
\`\`\`

\`\`\`js
const viaJs = await funnel({ steps: ['signup', 'purchse'] });
const again = await lifecycle({ period: 'week', event: 'open' });
viaJs
\`\`\`

\`\`\`funnel id=clean
{"steps": ["signup", "purchase"]}
\`\`\`
`;

describe('warnings on cells', () => {
  test('an analysis cell and the analyses a JS cell calls carry their warnings; a clean one none', async () => {
    const notebook = parseNotebook(NOTEBOOK);
    const runtime = new NotebookRuntime(host);
    runtime.setCells(notebook.cells);
    await runtime.idle();
    const [, three, js, clean] = notebook.cells.map((c) => runtime.state(c.id));
    expect(three.status).toBe('done');
    expect(three.warnings).toEqual(['steps[2]: "step three" never occurs in the data']);
    expect((three.value as { array(c: string): unknown[] }).array('users')).toEqual([2, 1, 0]);
    expect(js.status).toBe('done');
    expect(js.warnings).toEqual([
      'steps[1]: "purchse" never occurs in the data (did you mean "purchase"?)',
      'event: "open" never occurs in the data',
    ]);
    expect(clean.warnings).toBeUndefined();
  });
});
