import { DAY, csvText, iso, seededRandom } from './random.ts';

/**
 * "Activation: which first-week action keeps people?": 3,000 people sign up over eight weeks of a
 * team app. In their first week each may invite a teammate (about 30 %), change their avatar
 * (40 %), or watch the tutorial (50 %). The planted effect: people who invite a teammate come back
 * far more often (weekly return 55 % against 18 %) and subscribe far more often (35 % against 8 %
 * within four weeks); the avatar and the tutorial change nothing, but people who invite are a bit
 * more likely to watch the tutorial too, so the tutorial looks good in a correlation for no reason
 * of its own.
 */
export function activationLog(): string {
  const random = seededRandom(1919);
  const start = Date.UTC(2024, 8, 2);
  const rows: (string | number)[][] = [];
  for (let u = 1; u <= 3000; u++) {
    const id = `t${String(u).padStart(4, '0')}`;
    const signup = start + Math.floor(random() * 56 * DAY);
    const source = random() < 0.5 ? 'search' : random() < 0.6 ? 'ads' : 'friend';
    rows.push([id, 'signup', iso(signup), source]);
    const invites = random() < 0.3;
    const at = (days: number) => iso(signup + Math.floor((0.05 + random() * days) * DAY));
    if (invites) rows.push([id, 'invite_teammate', at(6.5), '']);
    if (random() < 0.4) rows.push([id, 'change_avatar', at(6.5), '']);
    if (random() < (invites ? 0.65 : 0.45)) rows.push([id, 'watch_tutorial', at(6.5), '']);
    if (random() < (invites ? 0.35 : 0.08)) rows.push([id, 'subscribe', iso(signup + Math.floor((7 + random() * 20) * DAY)), '']);
    // coming back: an open in each later week, with the planted rate
    for (let week = 1; week <= 10; week++) {
      if (random() < (invites ? 0.55 : 0.18)) rows.push([id, 'open', iso(signup + Math.floor((week * 7 + random() * 6.9) * DAY)), '']);
    }
  }
  rows.sort((a, b) => String(a[2]).localeCompare(String(b[2])) || String(a[0]).localeCompare(String(b[0])));
  return csvText(['user_id', 'event', 'ts', 'source'], rows);
}
