import { DAY, csvText, iso, seededRandom } from './random.ts';

/**
 * "Churn, LTV and CLV": a subscription at 50 EUR a month over 2024–2025. New subscribers every
 * month; each month about 5 % of paying customers cancel (a `cancel` event, then no more payments),
 * so the average lifetime is near 1 / 0.05 = 20 months and CLV near 50 × 20 = 1000 EUR.
 */
export function subscriptionsLog(months = 24): string {
  const random = seededRandom(404);
  const rows: (string | number)[][] = [];
  let id = 0;
  for (let cohort = 0; cohort < months; cohort++) {
    const joining = 300 + cohort * 20;
    for (let u = 0; u < joining; u++) {
      const user = `s${++id}`;
      const day = Math.floor(random() * 28);
      rows.push([user, 'subscribe', iso(Date.UTC(2024, cohort, 1 + day, 9)), '']);
      for (let month = cohort; month < months; month++) {
        rows.push([user, 'payment', iso(Date.UTC(2024, month, 1 + day, 9, 5)), '50']);
        if (random() < 0.05) {
          rows.push([user, 'cancel', iso(Date.UTC(2024, month, 1 + day, 9) + Math.floor(random() * 25) * DAY), '']);
          break;
        }
      }
    }
  }
  rows.sort((a, b) => String(a[2]).localeCompare(String(b[2])));
  return csvText(['user_id', 'event', 'ts', 'revenue'], rows);
}
