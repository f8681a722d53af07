import { seededRandom } from '../../src/notebook/teaching-data/random.ts';
import type { TestEvent } from '../helpers/events.ts';

export interface GeneratedLogOptions {
  seed: number;
  users: number;
  /** First instant of the log, ISO. */
  start: string;
  days: number;
  /** Mean events per user. */
  eventsPerUser: number;
  events?: string[];
}

/**
 * A random log: each user has a random first day and a burst of events after it, some clustered
 * within minutes (so sessions have several events), purchases carry revenue.
 */
export function generatedLog(options: GeneratedLogOptions): TestEvent[] {
  const random = seededRandom(options.seed);
  const names = options.events ?? ['open', 'view', 'purchase'];
  const start = Date.parse(options.start);
  const dayMs = 86_400_000;
  const log: TestEvent[] = [];
  for (let u = 0; u < options.users; u++) {
    const user = `u${String(u).padStart(3, '0')}`;
    let t = start + Math.floor(random() * options.days * dayMs);
    const count = 1 + Math.floor(random() * options.eventsPerUser * 2);
    for (let i = 0; i < count && t < start + options.days * dayMs; i++) {
      const event = names[Math.floor(random() * names.length)];
      log.push({ user_id: user, event, ts: new Date(t).toISOString(), revenue: event === 'purchase' ? Math.round(random() * 10000) / 100 : null });
      const r = random();
      // Mostly minutes apart (same session), sometimes hours, sometimes days or weeks.
      t += r < 0.5 ? Math.floor(random() * 40 * 60_000) : r < 0.75 ? Math.floor(random() * 20 * 3_600_000) : Math.floor(random() * 25 * dayMs);
    }
  }
  return log;
}

/** The local calendar date of an instant, from the platform's Intl data (independent of src/). */
export function referenceLocalDate(zone: string, ms: number): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** The local date a period containing `date` begins on (weeks start on Monday). */
export function referencePeriodStart(period: 'day' | 'week' | 'month', date: string): string {
  if (period === 'day') return date;
  if (period === 'month') return `${date.slice(0, 7)}-01`;
  const d = new Date(`${date}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return new Date(d.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/** The start date of the period after the one starting on `start`. */
export function referenceNextPeriod(period: 'day' | 'week' | 'month', start: string): string {
  const d = new Date(`${start}T00:00:00Z`);
  if (period === 'day') d.setUTCDate(d.getUTCDate() + 1);
  else if (period === 'week') d.setUTCDate(d.getUTCDate() + 7);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
}

/** Every period start from the period of `from` to the period of `to`. */
export function referencePeriods(period: 'day' | 'week' | 'month', from: string, to: string): string[] {
  const periods: string[] = [];
  for (let p = referencePeriodStart(period, from); p <= to; p = referenceNextPeriod(period, p)) periods.push(p);
  return periods;
}
