import { DAY, csvText, iso, seededRandom } from './random.ts';

/**
 * "Why growth metrics lie": monthly cohorts of 10k, 15k, 20k, ... new users. Each monthly release
 * lowers one-month retention by 2 points (the first cohort keeps 30 % after a month, decaying
 * towards half of that later) and revenue per active user by $0.10 (from $5.00). Acquisition
 * outgrows the damage, so MAU and revenue rise for months while every cohort retains worse.
 * One `signup` per user, one `active` event with that month's revenue per active user-month.
 */
export function growthLiesLog(months = 12): string {
  const random = seededRandom(101);
  const rows: (string | number)[][] = [];
  let id = 0;
  for (let cohort = 0; cohort < months; cohort++) {
    const size = 10_000 + 5_000 * cohort;
    const monthOne = 0.3 - 0.02 * cohort;
    const revenuePerUser = 5 - 0.1 * cohort;
    for (let u = 0; u < size; u++) {
      const user = `g${++id}`;
      const start = Date.UTC(2024, cohort, 1) + Math.floor(random() * 28) * DAY + Math.floor(random() * DAY);
      rows.push([user, 'signup', iso(start), '']);
      for (let age = 1; cohort + age < months; age++) {
        const rate = monthOne * (0.5 + 0.5 * 0.6 ** (age - 1));
        if (random() >= rate) continue;
        const at = Date.UTC(2024, cohort + age, 1) + Math.floor(random() * 28) * DAY + Math.floor(random() * DAY);
        rows.push([user, 'active', iso(at), revenuePerUser.toFixed(2)]);
      }
    }
  }
  return csvText(['user_id', 'event', 'ts', 'revenue'], rows);
}
