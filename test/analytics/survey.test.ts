import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { netPromoterScore, runAnalysis } from '../../src/analytics/index.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';

let engine: Engine;
beforeAll(async () => { engine = await createNodeEngine('wasm'); });
afterAll(async () => { await engine?.close(); });

describe('survey', () => {
  test('NPS of the worked example: 50 promoters, 30 passives, 20 detractors → 30', () => {
    expect(netPromoterScore(50, 30, 20)).toBe(30);
  });

  test('NPS and CSAT from answers in the events match a count by hand and by a plain pass', async () => {
    let seed = 7;
    const random = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32; };
    const events: TestEvent[] = [];
    for (let i = 0; i < 400; i++) {
      const ts = new Date(Date.UTC(2024, i % 3, 1 + (i % 27), 12)).toISOString();
      events.push({ user_id: `u${i}`, event: 'nps_answer', ts, score: Math.floor(random() * 11), stars: 1 + Math.floor(random() * 5) });
      events.push({ user_id: `u${i}`, event: 'page_view', ts, score: 10 });
    }
    events.push({ user_id: 'odd', event: 'nps_answer', ts: '2024-01-05T00:00:00Z', score: 12, stars: 3.5 });
    await loadTestEvents(engine, events);
    const answers = events.filter((e) => e.event === 'nps_answer' && (e.score as number) <= 10);
    const promoters = answers.filter((e) => (e.score as number) >= 9).length;
    const detractors = answers.filter((e) => (e.score as number) <= 6).length;
    const { rows, meta } = await runAnalysis(engine, { kind: 'survey', column: 'score', event: 'nps_answer' });
    expect(rows).toEqual([{ responses: 400, promoters, passives: 400 - promoters - detractors, detractors, nps: ((promoters - detractors) / 400) * 100 }]);
    expect(meta.out_of_scale_answers).toBe(1);

    const monthly = await runAnalysis(engine, { kind: 'survey', column: 'stars', scale: 'csat', event: 'nps_answer', period: 'month' });
    const january = answers.filter((e) => e.ts.startsWith('2024-01'));
    const satisfied = january.filter((e) => (e.stars as number) >= 4).length;
    expect(monthly.rows[0]).toEqual({ period: '2024-01-01', responses: january.length, satisfied, csat: (satisfied / january.length) * 100 });
    expect(monthly.rows).toHaveLength(3);
  });

  test.each([
    [{ column: 'nope' }, /column must name the column of answers/],
    [{ column: 'score', scale: 'ces' }, /scale must be "nps" .* or "csat"/],
  ])('a bad spec is refused: %j', async (spec, message) => {
    await expect(runAnalysis(engine, { kind: 'survey', ...spec })).rejects.toThrow(message);
  });
});
