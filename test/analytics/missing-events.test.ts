import { describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import '../../src/analytics/funnel.ts';
import { bothEnginesWith } from '../helpers/both-engines.ts';
import type { TestEvent } from '../helpers/events.ts';

// DESIGN.md, "Every analysis": an event name that never occurs is not an error; the result is
// computed (nobody did it) and meta.warnings says so, with a "did you mean" when a name is close.
const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n, 12)).toISOString();
const LOG: TestEvent[] = [
  { user_id: 'a', event: 'signup', ts: day(0), variant: 'A', score: 9 },
  { user_id: 'a', event: 'open', ts: day(1), variant: 'A', score: 9 },
  { user_id: 'a', event: 'purchase', ts: day(2), revenue: 10, variant: 'A', score: 9 },
  { user_id: 'b', event: 'signup', ts: day(3), variant: 'B', score: 3 },
  { user_id: 'b', event: 'purchase', ts: day(40), revenue: 5, variant: 'B', score: 3 },
];

type Rows = Record<string, unknown>[];
const all = (rows: Rows, check: (row: Record<string, unknown>) => boolean) => rows.length > 0 && rows.every(check);

/** [spec, warning, what the rows must show: that nobody did the missing event]. */
const CASES: [Record<string, unknown>, string, (rows: Rows) => boolean][] = [
  [{ kind: 'retention', period: 'week', start_event: 'sign_up' }, 'start_event: "sign_up" never occurs in the data (did you mean "signup"?)',
    (rows) => all(rows, (r) => r.cohort_size === 0 && r.users === 0)],
  [{ kind: 'retention', period: 'week', start_event: 'signup', return_event: 'opn' }, 'return_event: "opn" never occurs in the data (did you mean "open"?)',
    (rows) => rows.some((r) => Number(r.cohort_size) > 0) && all(rows.filter((r) => r.period !== 0), (r) => r.users === 0)],
  [{ kind: 'lifecycle', period: 'week', event: 'opn' }, 'event: "opn" never occurs in the data (did you mean "open"?)', (rows) => all(rows, (r) => r.users === 0)],
  [{ kind: 'stickiness', period: 'day', event: 'opn' }, 'event: "opn" never occurs in the data (did you mean "open"?)', (rows) => all(rows, (r) => r.users === 0)],
  [{ kind: 'active_users', event: 'Open' }, 'event: "Open" never occurs in the data (did you mean "open"?)', (rows) => all(rows, (r) => r.dau === 0 && r.mau === 0)],
  [{ kind: 'churn', event: 'opn' }, 'event: "opn" never occurs in the data (did you mean "open"?)', (rows) => all(rows, (r) => r.customers_end === 0)],
  [{ kind: 'churn', cancel_event: 'cancel' }, 'cancel_event: "cancel" never occurs in the data', (rows) => all(rows, (r) => r.lost === 0)],
  [{ kind: 'survey', column: 'score', event: 'nps_answer' }, 'event: "nps_answer" never occurs in the data', (rows) => rows.length === 0],
  [{ kind: 'growth', k_factor: { invite_event: 'invite', signup_event: 'signup' } }, 'k_factor.invite_event: "invite" never occurs in the data',
    (rows) => rows.length === 1 && rows[0].value === 0],
  [{ kind: 'ab_test', exposure_event: 'signup', conversion_event: 'purchse', variant_column: 'variant' },
    'conversion_event: "purchse" never occurs in the data (did you mean "purchase"?)', (rows) => all(rows, (r) => r.conversions === 0 && r.users === 1)],
  [{ kind: 'purchases', purchase_event: 'purchse' }, 'purchase_event: "purchse" never occurs in the data (did you mean "purchase"?)',
    (rows) => rows.find((r) => r.metric === 'customers')?.value === 0],
  [{ kind: 'ltv', revenue_event: 'purchse' }, 'revenue_event: "purchse" never occurs in the data (did you mean "purchase"?)', (rows) => all(rows, (r) => r.revenue === 0)],
  [{ kind: 'ltv', start_event: 'sign_up' }, 'start_event: "sign_up" never occurs in the data (did you mean "signup"?)', (rows) => rows.length === 0],
  [{ kind: 'rfm', purchase_event: 'purchse' }, 'purchase_event: "purchse" never occurs in the data (did you mean "purchase"?)', (rows) => rows.length === 0],
  [{ kind: 'funnel', steps: ['signup', 'purchse'] }, 'steps[1]: "purchse" never occurs in the data (did you mean "purchase"?)',
    (rows) => rows.length === 2 && rows[0].users === 2 && rows[1].users === 0],
];

const engines = bothEnginesWith(LOG);

describe('an event name that never occurs', () => {
  test.each(CASES)('%j runs, counts nobody for it and warns', async (spec, warning, nobody) => {
    const a = await runAnalysis(engines.wasm, spec);
    expect(a.meta.warnings).toEqual([warning]);
    expect(nobody(a.rows), JSON.stringify(a.rows)).toBe(true);
    const b = await runAnalysis(engines.native, spec);
    expect(b.rows).toEqual(a.rows);
    expect(b.meta.warnings).toEqual(a.meta.warnings);
  });

  test('a result with nothing to say has no warnings; unknown fields and columns stay errors', async () => {
    expect((await runAnalysis(engines.wasm, { kind: 'lifecycle', period: 'week', event: 'open' })).meta.warnings).toEqual([]);
    expect((await runAnalysis(null, { kind: 'ab_test', variants: [{ name: 'A', users: 10, conversions: 2 }, { name: 'B', users: 100, conversions: 10 }] })).meta.warnings).toEqual([]);
    await expect(runAnalysis(engines.wasm, { kind: 'lifecycle', evnt: 'open' })).rejects.toThrow(/unknown field "evnt" \(did you mean "event"\?\)/);
    await expect(runAnalysis(engines.wasm, { kind: 'funnel', steps: ['signup', 'open'], breakdown: 'plan' })).rejects.toThrow(/breakdown: no column "plan"/);
  });
});
