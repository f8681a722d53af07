import { DAY, csvText, iso, seededRandom } from './random.ts';

/**
 * "Is it significant?": a real-sized A/B test of a checkout page. 24,000 visitors split evenly
 * between A (current page, converts about 10 %) and B (new page, about 11.2 %); each visitor is
 * exposed once and may convert within a few days.
 */
export function checkoutTestLog(): string {
  const random = seededRandom(505);
  const start = Date.UTC(2024, 4, 6);
  const rows: (string | number)[][] = [];
  for (let u = 1; u <= 24_000; u++) {
    const variant = random() < 0.5 ? 'A' : 'B';
    const seen = start + Math.floor(random() * 14 * DAY);
    rows.push([`v${u}`, 'exposure', iso(seen), variant]);
    if (random() < (variant === 'A' ? 0.1 : 0.112)) rows.push([`v${u}`, 'purchase', iso(seen + Math.floor(random() * 3 * DAY)), variant]);
  }
  rows.sort((a, b) => String(a[2]).localeCompare(String(b[2])));
  return csvText(['user_id', 'event', 'ts', 'variant'], rows);
}
