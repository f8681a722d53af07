import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/index.ts';
import { loadEvents } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { TEACHING_DATA } from '../../src/notebook/teaching-data/index.ts';
import { queryRows } from '../helpers/events.ts';

let engine: Engine;
const load = (name: string) => loadEvents(engine, { name: TEACHING_DATA[name].file, bytes: new TextEncoder().encode(TEACHING_DATA[name].generate()) });

beforeAll(async () => { engine = await createNodeEngine('wasm'); });
afterAll(async () => { await engine?.close(); });

describe('teaching data tells the story its notebook tells', () => {
  test('generators are deterministic', () => {
    expect(TEACHING_DATA['checkout-test'].generate()).toBe(TEACHING_DATA['checkout-test'].generate());
  });

  test('growth lies: MAU and revenue rise every month while one-month retention falls 2 points a release', async () => {
    await load('growth-lies');
    const monthly = await queryRows(engine, `SELECT month(ts) AS m, count(DISTINCT user_id) AS mau, sum(revenue) AS revenue FROM events GROUP BY 1 ORDER BY 1`);
    for (let i = 2; i < monthly.length; i++) {
      expect(monthly[i].mau).toBeGreaterThan(monthly[i - 1].mau as number);
      expect(monthly[i].revenue).toBeGreaterThan(monthly[i - 1].revenue as number);
    }
    const cohorts = await queryRows(engine, `
      WITH c AS (SELECT user_id, month(ts) AS cohort FROM events WHERE event = 'signup'),
           a AS (SELECT DISTINCT user_id, month(ts) AS m FROM events WHERE event = 'active')
      SELECT cohort, count(*) AS size, count(a.user_id) AS back FROM c LEFT JOIN a ON a.user_id = c.user_id AND a.m = c.cohort + 1
      WHERE cohort < 12 GROUP BY 1 ORDER BY 1`);
    expect(cohorts.map((c) => c.size)).toEqual([10000, 15000, 20000, 25000, 30000, 35000, 40000, 45000, 50000, 55000, 60000]);
    cohorts.forEach((c, i) => expect(Number(c.back) / Number(c.size)).toBeCloseTo(0.3 - 0.02 * i, 1));
  });

  test('acquisition cohorts: the banner group is gone by its third week, the migrated group stays', async () => {
    await load('acquisition-cohorts');
    const weekThree = await queryRows(engine, `
      WITH s AS (SELECT user_id, source, ts AS joined FROM events WHERE event = 'signup')
      SELECT s.source, count(DISTINCT e.user_id) AS active FROM s JOIN events e ON e.user_id = s.user_id AND e.event <> 'signup'
        AND e.ts >= s.joined + INTERVAL 21 DAY AND e.ts < s.joined + INTERVAL 28 DAY GROUP BY 1 ORDER BY 1`);
    expect(weekThree.find((r) => r.source === 'banner')).toBeUndefined();
    expect(Number(weekThree.find((r) => r.source === 'migrated')?.active)).toBeGreaterThan(700);
  });

  test('game cohorts: the new tutorial lifts completion from about 34 % to about 47 %', async () => {
    await load('game-cohorts');
    const rows = await queryRows(engine, `SELECT app_version AS v, avg(CASE WHEN done THEN 1 ELSE 0 END) AS rate FROM (
      SELECT user_id, any_value(app_version) AS app_version, bool_or(event = 'tutorial_complete') AS done FROM events GROUP BY 1) GROUP BY 1 ORDER BY 1`);
    expect(rows.map((r) => r.v)).toEqual(['v1.0', 'v1.1', 'v1.2']);
    const [v10, v11, v12] = rows.map((r) => Number(r.rate));
    for (const rate of [v10, v11]) expect(Math.abs(rate - 0.34)).toBeLessThan(0.02);
    expect(Math.abs(v12 - 0.47)).toBeLessThan(0.02);
  });

  test('subscriptions: about 5 % of paying customers cancel each month', async () => {
    await load('subscriptions');
    const [row] = await queryRows(engine, `SELECT (SELECT count(*) FROM events WHERE event = 'cancel') / (SELECT count(*) FROM events WHERE event = 'payment') AS churn`);
    expect(Number(row.churn)).toBeCloseTo(0.05, 2);
  });
});
