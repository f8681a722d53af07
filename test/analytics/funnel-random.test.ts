import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runAnalysis } from '../../src/analytics/index.ts';
import '../../src/analytics/funnel.ts';
import type { Engine } from '../../src/engine/index.ts';
import { createNodeEngine } from '../../src/engine/node.ts';
import { loadTestEvents, type TestEvent } from '../helpers/events.ts';
import { referenceFunnel, referencePeople, type RawFunnelSpec } from './funnel-reference.ts';

/** mulberry32: a small seeded PRNG, so every run checks the same logs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * Days the people's events cluster around: quiet months, and the nights the clocks change in
 * Europe (31 Mar, 27 Oct), the United States (10 Mar, 3 Nov) and Sydney (7 Apr, 6 Oct), so local
 * dates near midnight and DST both meet the date range.
 */
const ANCHORS = ['2024-01-15', '2024-03-10', '2024-03-31', '2024-04-07', '2024-06-20', '2024-10-06', '2024-10-27', '2024-11-03']
  .map((d) => Date.parse(`${d}T00:00:00Z`));
const ZONES = ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Australia/Sydney', 'Asia/Kolkata'];
const NAMES = ['a', 'b', 'c', 'd', 'x', 'z'];

interface RandomCase {
  log: TestEvent[];
  spec: RawFunnelSpec;
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * A log of a few people whose events sit on a coarse grid of 5 minutes (so ties at one instant are
 * common) in one or two bursts of a few hours somewhere around an anchor day (any hour, so the
 * bursts cross local midnights), and a spec with random steps (repeats allowed, sometimes one that
 * never occurs), window (sometimes the default), exclusions, hold, breakdown and its attribution,
 * and a date range in a random zone.
 */
function randomCase(seed: number, order: RawFunnelSpec['order']): RandomCase {
  const random = prng(seed);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const anchor = pick(ANCHORS);
  const log: TestEvent[] = [];
  const people = 3 + Math.floor(random() * 8);
  for (let u = 0; u < people; u++) {
    const bursts = [anchor - DAY + Math.floor(random() * 72) * HOUR];
    if (random() < 0.3) bursts.push(bursts[0] + (1 + Math.floor(random() * 20)) * DAY);
    const count = 1 + Math.floor(random() * 14);
    for (let i = 0; i < count; i++) {
      const minute = Math.floor(random() * 40) * 5;
      log.push({
        user_id: `u${u}`, event: pick(NAMES), ts: new Date(pick(bursts) + minute * 60_000).toISOString(),
        device: pick(['phone', 'web']), plan: pick(['free', 'pro', 'team', null]),
      });
    }
  }
  const steps: RawFunnelSpec['steps'] = Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(['a', 'b', 'c', 'd']));
  if (random() < 0.1) steps[steps.length - 1] = 'never_done';
  const spec: RawFunnelSpec = { steps, order };
  if (random() < 0.85) spec.window_seconds = pick([300, 600, 1800, 3600, 7200, 86_400]);
  if (random() < 0.5) {
    const from = Math.floor(random() * (steps.length - 1));
    const to = from + 1 + Math.floor(random() * (steps.length - 1 - from));
    spec.exclusions = [{ event: 'x', from_step: from, to_step: to }];
  }
  if (random() < 0.4) spec.hold = 'device';
  if (random() < 0.4) {
    spec.breakdown = 'plan';
    const rule = random();
    if (rule < 0.3) spec.breakdown_attribution = 'last_touch';
    else if (rule < 0.6) spec.breakdown_attribution = { step: Math.floor(random() * steps.length) };
    else if (rule < 0.7) spec.breakdown_attribution = 'first_touch';
  }
  if (random() < 0.2) spec.steps[0] = { event: steps[0] as string, where: [{ column: 'plan', op: '!=', value: 'team' }] };
  if (random() < 0.1) spec.where = [{ column: 'device', op: '=', value: 'web' }];
  if (random() < 0.5) {
    spec.timezone = pick(ZONES);
    const from = anchor + Math.floor(random() * 3 - 1) * DAY;
    spec.date_from = isoDate(from);
    spec.date_to = isoDate(from + Math.floor(random() * 2) * DAY);
  } else if (random() < 0.3) {
    spec.timezone = pick(ZONES); // a zone without a date range changes nothing
  }
  return { log, spec };
}

const round = (rows: Record<string, unknown>[]) => rows.map((row) => Object.fromEntries(Object.entries(row)
  .map(([k, v]) => [k, typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v])));

/** What the reference expects to be warned of: step and exclusion events that never occur. */
function expectedWarnings(spec: RawFunnelSpec, log: TestEvent[]): string[] {
  const names = new Set(log.map((e) => e.event));
  const fields = [
    ...spec.steps.map((s, i) => ({ field: `steps[${i}]`, event: typeof s === 'string' ? s : s.event })),
    ...(spec.exclusions ?? []).map((x, j) => ({ field: `exclusions[${j}]`, event: x.event })),
  ];
  return fields.filter((f) => !names.has(f.event)).map((f) => f.field);
}

let wasm: Engine;
let native: Engine;
beforeAll(async () => {
  wasm = await createNodeEngine('wasm');
  native = await createNodeEngine('native');
});
afterAll(async () => {
  await wasm?.close();
  await native?.close();
});

describe('funnel against a brute-force reference', () => {
  const CASES = { ordered: 120, strict: 120, any: 300 } as const;
  for (const order of ['ordered', 'strict', 'any'] as const) {
    test(`${CASES[order]} random logs, ${order}`, async () => {
      let converted = 0;
      let dated = 0;
      for (let seed = 1; seed <= CASES[order]; seed++) {
        const { log, spec } = randomCase(seed * 7 + order.length, order);
        const source = `random_${order}_${seed}`;
        await loadTestEvents(wasm, log, { source });
        const full = { kind: 'funnel', ...spec };
        // `events` (which the loader has pointed at this log) groups people by the hash of their
        // id; the table under its own name has no such guarantee and groups by the id itself.
        for (const table of ['events', source]) {
          const context = `seed ${seed}, ${table}: ${JSON.stringify(full)}`;
          const result = await runAnalysis(wasm, full, { table });
          expect(round(result.rows), context).toEqual(round(referenceFunnel(spec, log)));
          expect((result.meta.warnings as string[]).map((w) => w.split(':')[0]), context).toEqual(expectedWarnings(spec, log));
          const last = spec.steps.length;
          const reached = await runAnalysis(wasm, { ...full, people: { step: last, kind: 'reached' } }, { table });
          const expected = referencePeople(spec, log).filter((p) => !p.excluded && p.level >= last).map((p) => p.user_id);
          expect(reached.rows.map((r) => r.user_id), context).toEqual(expected);
          if (table === source) {
            const entered = referencePeople(spec, log).filter((p) => !p.excluded);
            converted += entered.filter((p) => p.level >= 2).length;
            if (spec.date_from) dated += entered.length;
          }
        }
        await wasm.exec(`DROP TABLE IF EXISTS ${source}`).catch(() => undefined);
      }
      // The logs must exercise conversions, not only drop-offs, and date ranges that let people in.
      expect(converted).toBeGreaterThan(CASES[order] / 4);
      expect(dated).toBeGreaterThan(CASES[order] / 4);
    }, 300_000);
  }

  test('native DuckDB returns the same rows as DuckDB-WASM, empty results too', async () => {
    const same = async (spec: Record<string, unknown>, source: string) => {
      const a = await runAnalysis(wasm, spec, { table: source });
      const b = await runAnalysis(native, spec, { table: source });
      expect(b.rows, JSON.stringify(spec)).toEqual(a.rows);
      expect(b.meta.warnings).toEqual(a.meta.warnings);
      return a.rows.length === 0 ? 'empty' : 'rows';
    };
    const outcomes: string[] = [];
    for (let seed = 1; seed <= 15; seed++) {
      for (const order of ['ordered', 'strict', 'any'] as const) {
        const { log, spec } = randomCase(seed * 13, order);
        const source = `same_${order}_${seed}`;
        await loadTestEvents(wasm, log, { source });
        await loadTestEvents(native, log, { source });
        const full = { kind: 'funnel', ...spec };
        outcomes.push(await same(full, source), await same(full, 'events'));
        outcomes.push(await same({ ...full, time_to_convert: { from_step: 1, to_step: 2, bins: 5 } }, source));
        outcomes.push(await same({ ...full, people: { step: 1, kind: 'reached' } }, source));
      }
    }
    expect(outcomes.filter((o) => o === 'rows').length).toBeGreaterThan(100);
    expect(outcomes).toContain('empty');
  }, 300_000);
});
