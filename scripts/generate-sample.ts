// Writes the sample event log the app opens on first visit: a small web shop over 12 weeks,
// from a seeded generator so the file is the same on every machine.
import { writeFileSync } from 'node:fs';

function mulberry32(seed: number): () => number {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(20240101);
const pick = <T,>(items: T[]) => items[Math.floor(random() * items.length)];
const start = Date.UTC(2024, 0, 1);
const day = 86_400_000;
const rows: string[] = ['user_id,event,timestamp,revenue,platform,country,source'];
const events: [number, string][] = [];

for (let u = 1; u <= 2500; u++) {
  const user = `u${String(u).padStart(5, '0')}`;
  const platform = pick(['web', 'web', 'ios', 'android']);
  const country = pick(['GB', 'GB', 'US', 'US', 'DE', 'FR', 'NL', 'ES']);
  const source = pick(['organic', 'organic', 'ads', 'referral', 'newsletter']);
  // signups grow week over week; later cohorts retain a little worse (a release made things harder)
  const signupDay = Math.floor(Math.sqrt(random()) * 84);
  let t = start + signupDay * day + Math.floor(random() * day);
  const retention = 0.78 - signupDay * 0.002 + (source === 'referral' ? 0.06 : 0);
  const lines: [number, string, number | null][] = [[t, 'signup', null]];
  let active = true;
  while (active && t < start + 84 * day) {
    const sessionViews = 1 + Math.floor(random() * 4);
    for (let v = 0; v < sessionViews; v++) {
      t += Math.floor(random() * 600_000);
      lines.push([t, 'view_item', null]);
    }
    if (random() < 0.45) {
      t += Math.floor(random() * 300_000);
      lines.push([t, 'add_to_cart', null]);
      if (random() < 0.6) {
        t += Math.floor(random() * 400_000);
        lines.push([t, 'checkout', null]);
        if (random() < 0.75) {
          t += Math.floor(random() * 200_000);
          lines.push([t, 'purchase', Math.round((8 + random() * 90) * 100) / 100]);
        }
      }
    }
    if (random() < 0.08) lines.push([t + 60_000, 'open_help', null]);
    active = random() < retention;
    t += Math.floor((1 + random() * 9) * day);
  }
  for (const [time, event, revenue] of lines) {
    if (time >= start + 84 * day) break;
    events.push([time, `${user},${event},${new Date(time).toISOString()},${revenue ?? ''},${platform},${country},${source}`]);
  }
}
events.sort((a, b) => a[0] - b[0]);
for (const [, line] of events) rows.push(line);
writeFileSync(new URL('../public/samples/shop-events.csv', import.meta.url), rows.join('\n') + '\n');
console.error(`wrote ${events.length} events`);
