import { afterAll, expect, test } from 'vitest';
import { runAnalysis } from '../../../src/analytics/index.ts';
import { seededRandom } from '../../../src/notebook/teaching-data/random.ts';
import { PORTED_ENGINE_KINDS, closeTestEngines, testEngine } from '../../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../../helpers/events.ts';
import { referenceTrends } from './trends-reference.ts';
import { analysisSpec, randomLog, randomSpec } from './trends-random-log.ts';

const LOGS = 150;
const SPECS_PER_LOG = 2;

afterAll(closeTestEngines);

const key = (row: Record<string, unknown>) => [row.series, row.compare ?? '', row.other ?? '', row.breakdown ?? '\u0000', row.period].join('|');
const normal = (rows: Record<string, unknown>[]) => rows
  .map((row) => ({ ...row, value: typeof row.value === 'number' ? Math.round(row.value * 1e6) / 1e6 : row.value }))
  .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

test.each(PORTED_ENGINE_KINDS)(`%s matches a brute-force reference on ${LOGS} random logs x ${SPECS_PER_LOG} specs across DST changes`, async (kind) => {
  const engine = await testEngine(kind);
  const random = seededRandom(20241018);
  const periods = ['hour', 'day', 'week', 'month'] as const;
  let values = 0;
  let nonZero = 0;
  const seen = new Set<string>();
  for (let i = 0; i < LOGS; i++) {
    const period = periods[i % 4];
    const log = randomLog(random, period);
    const source = `random_${i}`;
    await loadTestEvents(engine, log.events.map((e): TestEvent => ({ ...e, ts: new Date(e.ts).toISOString() })), { source });
    for (let j = 0; j < SPECS_PER_LOG; j++) {
      const spec = randomSpec(random, period, log);
      const expected = referenceTrends(log.events, spec);
      // `events` groups people by the hash of their id, the table under its own name by the id itself
      const table = j % 2 === 0 ? 'events' : source;
      const { rows } = await runAnalysis(engine, analysisSpec(spec), { table });
      expect(normal(rows), `log ${i} spec ${JSON.stringify(analysisSpec(spec))} on ${table}`).toEqual(normal(expected as never));
      values += rows.length;
      nonZero += rows.filter((r) => typeof r.value === 'number' && r.value !== 0).length;
      for (const s of spec.series) seen.add(`${period} ${s.math}`);
      if (spec.breakdown && rows.some((r) => r.other === true)) seen.add('other');
    }
  }
  // The logs must exercise the interesting cases, not only zeros.
  expect(values).toBeGreaterThan(3000);
  expect(nonZero).toBeGreaterThan(600);
  expect(seen.has('other')).toBe(true);
  for (const p of periods) for (const m of ['weekly_active', 'monthly_active', 'median']) expect(seen.has(`${p} ${m}`), `${p} ${m}`).toBe(true);
}, 300_000);
