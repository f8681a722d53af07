import { afterAll, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import { seededRandom } from '../../src/notebook/teaching-data/random.ts';
import { ENGINE_KINDS, closeTestEngines, testEngine } from '../helpers/engines.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';
import { referenceCohort, type RawCohort } from './cohort-reference.ts';
import { randomCohort, randomCohortLog } from './cohort-random-log.ts';

afterAll(closeTestEngines);

const LOGS = 60;
const COHORTS_PER_LOG = 6;
const iso = (ms: number) => new Date(ms).toISOString();

test.each(ENGINE_KINDS)(`%s: cohort members match a brute-force reference on ${LOGS} random logs x ${COHORTS_PER_LOG} cohorts`, async (kind) => {
  const engine = await testEngine(kind);
  const random = seededRandom(19_001);
  let members = 0;
  let empty = 0;
  for (let i = 0; i < LOGS; i++) {
    const events = randomCohortLog(random);
    const source = `cohort_log_${i}`;
    await loadTestEvents(engine, events.map((e): TestEvent => ({ ...e, ts: iso(e.ts) })), { source });
    const defined = new Map<string, RawCohort>();
    for (let j = 0; j < COHORTS_PER_LOG; j++) {
      const name = `c${j}`;
      const cohort = randomCohort(random, name, [...defined.keys()]);
      defined.set(name, cohort);
      const lookup = (n: string) => defined.get(n);
      const expected = referenceCohort(events, cohort, lookup).map((m) => ({ ...m, first_seen: iso(m.first_seen), last_seen: iso(m.last_seen) }));
      // by name through the lookup half the time, inline the other half
      const spec = { kind: 'cohort', cohort: j % 2 ? name : cohort };
      const result = await runAnalysis(engine, spec, { table: j % 3 === 0 ? 'events' : source, cohorts: lookup });
      expect(result.rows, `log ${i} cohort ${JSON.stringify(cohort)} with ${JSON.stringify([...defined.values()])}`).toEqual(expected);
      expect(result.meta.size).toBe(expected.length);
      members += expected.length;
      if (expected.length === 0) empty++;
    }
  }
  // the random cohorts must be neither all empty nor all everyone
  expect(members).toBeGreaterThan(300);
  expect(empty).toBeLessThan(LOGS * COHORTS_PER_LOG * 0.5);
}, 240_000);
