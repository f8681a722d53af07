import { DAY, csvText, iso, seededRandom } from './random.ts';

/** Weekly installs, the app version they got, and what a week of installs cost to acquire. */
export const GAME_WEEKS = Array.from({ length: 12 }, (_, week) => ({
  week,
  version: week < 4 ? 'v1.0' : week < 8 ? 'v1.1' : 'v1.2',
  installs: 1800 + week * 60,
  spend: 4200 + week * 150,
}));

/**
 * "A game's cohort table": twelve weekly install cohorts from Monday 2024-01-01 across three app
 * versions. Version 1.2 ships a new tutorial: completion rises from 34 % to 47 %; first purchases
 * follow completion a little, but repeat purchases stay flat, so LTV barely moves against CAC.
 */
export function gameCohortsLog(): string {
  const random = seededRandom(303);
  const start = Date.UTC(2024, 0, 1);
  const end = start + 16 * 7 * DAY;
  const rows: (string | number)[][] = [];
  let id = 0;
  for (const { week, version, installs } of GAME_WEEKS) {
    const completion = version === 'v1.2' ? 0.47 : 0.34;
    for (let u = 0; u < installs; u++) {
      const user = `p${++id}`;
      const installed = start + week * 7 * DAY + Math.floor(random() * 7 * DAY);
      rows.push([user, 'install', iso(installed), '', version]);
      const completed = random() < completion;
      if (completed) rows.push([user, 'tutorial_complete', iso(installed + Math.floor(random() * 3600_000)), '', version]);
      const buyer = random() < (completed ? 0.085 : 0.03);
      if (!buyer) continue;
      let at = installed + Math.floor((0.5 + random() * 6) * DAY);
      rows.push([user, 'purchase', iso(at), (1.99 + Math.floor(random() * 3) * 3).toFixed(2), version]);
      while (random() < 0.32) {
        at += Math.floor((2 + random() * 12) * DAY);
        if (at >= end) break;
        rows.push([user, 'purchase', iso(at), (1.99 + Math.floor(random() * 3) * 3).toFixed(2), version]);
      }
    }
  }
  rows.sort((a, b) => String(a[2]).localeCompare(String(b[2])));
  return csvText(['user_id', 'event', 'ts', 'revenue', 'app_version'], rows);
}
