import { Random } from './random.ts';

/** The 20 event names of the synthetic shop; a row stores its event as an index into this list. */
export const EVENT_NAMES = [
  'signup', 'session_start', 'view_item', 'add_to_cart', 'checkout', 'purchase',
  'search', 'view_category', 'add_to_wishlist', 'remove_from_cart', 'view_cart', 'apply_coupon',
  'share', 'rate_item', 'open_help', 'update_profile', 'invite_friend', 'subscribe_newsletter',
  'refund_request', 'logout',
] as const;

/** The 30 countries of the shop's users, the most common first; a user keeps one. */
export const COUNTRIES = [
  'US', 'GB', 'DE', 'FR', 'IN', 'BR', 'CA', 'ES', 'IT', 'NL', 'AU', 'MX', 'PL', 'SE', 'JP',
  'TR', 'BE', 'CH', 'AT', 'IE', 'PT', 'DK', 'NO', 'FI', 'CZ', 'RO', 'NZ', 'ZA', 'AR', 'KR',
] as const;

const code = Object.fromEntries(EVENT_NAMES.map((name, i) => [name, i])) as Record<(typeof EVENT_NAMES)[number], number>;

/** Seconds from 2024-01-01T00:00:00Z to the end of 2024 (a leap year). */
export const YEAR_SECONDS = 366 * 86_400;
/** 2024-01-01T00:00:00Z in epoch milliseconds. */
export const YEAR_START_MS = Date.UTC(2024, 0, 1);

/** How big a log to make. */
export interface LogSize {
  events: number;
  users: number;
}

/**
 * A whole event log as columns, sorted by time: `user` is the user's number (its id is made from
 * it), `event` an index into `EVENT_NAMES`, `second` seconds since 2024-01-01 UTC, `revenue` NaN
 * where the event has none; `userCountry` is each user's index into `COUNTRIES`.
 */
export interface EventColumns {
  length: number;
  users: number;
  user: Uint32Array;
  event: Uint8Array;
  second: Uint32Array;
  revenue: Float64Array;
  userCountry: Uint8Array;
}

/**
 * Each user's country, Zipf-like (the first country about a fifth of users, the last about 1 %),
 * from a generator of its own so the other columns stay what they were before it existed.
 */
function userCountries(users: number, seed: number): Uint8Array {
  const random = new Random(seed ^ 0x5eed);
  const weights = COUNTRIES.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const countries = new Uint8Array(users);
  for (let u = 0; u < users; u++) {
    let x = random.uniform() * total;
    let c = 0;
    while (c < COUNTRIES.length - 1 && x >= weights[c]) x -= weights[c++];
    countries[u] = c;
  }
  return countries;
}

// What a person does next in a session, given what they just did: the shop's funnel
// (view_item → add_to_cart → checkout → purchase) with realistic drop-off, then browsing.
const BROWSE: [number, number][] = [
  [code.view_item, 0.36], [code.search, 0.15], [code.view_category, 0.12], [code.add_to_wishlist, 0.04],
  [code.view_cart, 0.04], [code.share, 0.03], [code.rate_item, 0.03], [code.open_help, 0.03],
  [code.update_profile, 0.02], [code.invite_friend, 0.01], [code.subscribe_newsletter, 0.01],
  [code.refund_request, 0.005], [code.logout, 0.05], [code.add_to_cart, 0.02],
];
const AFTER: Partial<Record<number, [number, number][]>> = {
  [code.view_item]: [[code.add_to_cart, 0.22], [code.view_item, 0.3]],
  [code.add_to_cart]: [[code.checkout, 0.45], [code.view_cart, 0.15], [code.remove_from_cart, 0.08]],
  [code.view_cart]: [[code.checkout, 0.3]],
  [code.checkout]: [[code.purchase, 0.65], [code.apply_coupon, 0.1]],
  [code.apply_coupon]: [[code.purchase, 0.7]],
};

function pick(random: Random, choices: [number, number][], fallback: number): number {
  let u = random.uniform();
  for (const [event, p] of choices) {
    if (u < p) return event;
    u -= p;
  }
  return fallback;
}

function nextEvent(random: Random, previous: number): number {
  const funnel = AFTER[previous];
  if (funnel) {
    const chosen = pick(random, funnel, -1);
    if (chosen >= 0) return chosen;
  }
  return pick(random, BROWSE, code.view_item);
}

/**
 * How many events each user has: one signup each, and the rest spread over users in proportion to
 * a log-normal engagement weight (a multinomial draw), so most people do little and a few a lot,
 * and the totals are exactly `size.events` and `size.users`.
 */
function eventsPerUser(random: Random, size: LogSize): Uint32Array {
  const counts = new Uint32Array(size.users).fill(1);
  const cumulative = new Float64Array(size.users);
  let total = 0;
  for (let i = 0; i < size.users; i++) cumulative[i] = total += Math.exp(1.1 * random.normal());
  for (let extra = size.events - size.users; extra > 0; extra--) {
    const target = random.uniform() * total;
    let lo = 0;
    let hi = size.users - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] <= target) lo = mid + 1;
      else hi = mid;
    }
    counts[lo]++;
  }
  return counts;
}

/** A signup time with growth: twice as many signups at the end of the year as at its start. */
function signupSecond(random: Random): number {
  const x = -1 + Math.sqrt(1 + 3 * random.uniform());
  return Math.floor(x * (YEAR_SECONDS - 86_400));
}

/**
 * Makes a deterministic synthetic event log of one year (2024) of a web shop: each user signs up,
 * comes back in sessions whose gaps grow (so week-over-week return decays), and moves through
 * view_item → add_to_cart → checkout → purchase with drop-off; purchases carry revenue.
 *
 * @example
 * const log = simulateEventLog({ events: 1_000, users: 200 }, 42);
 * log.length; // 1000
 */
export function simulateEventLog(size: LogSize, seed: number): EventColumns {
  if (size.events < size.users) throw new Error(`a log of ${size.events} events cannot have ${size.users} users`);
  const random = new Random(seed);
  const counts = eventsPerUser(random, size);
  const user = new Uint32Array(size.events);
  const event = new Uint8Array(size.events);
  const second = new Uint32Array(size.events);
  const revenue = new Float64Array(size.events).fill(NaN);
  const gaps: number[] = [];
  let row = 0;
  for (let u = 0; u < size.users; u++) {
    const signup = signupSecond(random);
    const sessionSizes: number[] = [];
    let left = counts[u];
    for (let s = 0; left > 0; s++) {
      const n = Math.min(left, random.geometric(s === 0 ? 3 : 4));
      sessionSizes.push(n);
      left -= n;
    }
    // gaps between sessions grow with each return; squeezed to fit if they would pass the year's end
    const meanGap = 2 * 86_400 * Math.exp(0.8 * random.normal());
    gaps.length = 0;
    let span = 0;
    for (let s = 1; s < sessionSizes.length; s++) {
      const gap = random.exponential(meanGap * (1 + 0.25 * s));
      gaps.push(gap);
      span += gap;
    }
    const room = YEAR_SECONDS - 3_600 - signup;
    const squeeze = span > room ? room / span : 1;
    let start = signup;
    for (let s = 0; s < sessionSizes.length; s++) {
      if (s > 0) start += gaps[s - 1] * squeeze;
      let t = start;
      let previous = s === 0 ? code.signup : code.session_start;
      for (let k = 0; k < sessionSizes[s]; k++) {
        if (k > 0) {
          t += random.exponential(45);
          previous = nextEvent(random, previous);
        }
        user[row] = u;
        event[row] = previous;
        second[row] = Math.min(YEAR_SECONDS - 1, Math.floor(t));
        if (previous === code.purchase) revenue[row] = Math.round(Math.exp(3.3 + 0.7 * random.normal()) * 100) / 100;
        row++;
      }
    }
  }
  return sortBySecond({ length: size.events, users: size.users, user, event, second, revenue, userCountry: userCountries(size.users, seed) });
}

/** A counting sort on the second (stable, so a session's events keep their order within a second). */
function sortBySecond(log: EventColumns): EventColumns {
  const starts = new Uint32Array(YEAR_SECONDS + 1);
  for (let i = 0; i < log.length; i++) starts[log.second[i] + 1]++;
  for (let s = 1; s <= YEAR_SECONDS; s++) starts[s] += starts[s - 1];
  const user = new Uint32Array(log.length);
  const event = new Uint8Array(log.length);
  const second = new Uint32Array(log.length);
  const revenue = new Float64Array(log.length);
  for (let i = 0; i < log.length; i++) {
    const at = starts[log.second[i]]++;
    user[at] = log.user[i];
    event[at] = log.event[i];
    second[at] = log.second[i];
    revenue[at] = log.revenue[i];
  }
  return { length: log.length, users: log.users, user, event, second, revenue, userCountry: log.userCountry };
}
