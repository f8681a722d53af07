import { DAY, csvText, iso, seededRandom } from './random.ts';

const GOALS = ['open_item', 'save_and_continue', 'open_help', 'export'] as const;

/**
 * "Cohorts by acquisition": three groups over eight weeks from Monday 2024-03-04. Users migrated
 * from an older product keep working (open, save and continue, export); users who came from a
 * banner announcing a new feature look around, open help, and are gone by their third week;
 * regular sign-ups sit between. Every event carries the user's `source`.
 */
export function acquisitionCohortsLog(): string {
  const random = seededRandom(202);
  const start = Date.UTC(2024, 2, 4);
  const groups = [
    { source: 'migrated', users: 900, weekly: [0.95, 0.9, 0.88, 0.86, 0.85, 0.84, 0.83, 0.82], goals: [0.5, 0.3, 0.05, 0.15] },
    { source: 'banner', users: 1200, weekly: [1, 0.35, 0.04, 0, 0, 0, 0, 0], goals: [0.35, 0.05, 0.55, 0.05] },
    { source: 'regular', users: 1500, weekly: [1, 0.5, 0.38, 0.32, 0.29, 0.27, 0.26, 0.25], goals: [0.45, 0.25, 0.15, 0.15] },
  ];
  const rows: (string | number)[][] = [];
  let id = 0;
  for (const group of groups) {
    for (let u = 0; u < group.users; u++) {
      const user = `a${++id}`;
      const joined = start + Math.floor(random() * 21) * DAY + Math.floor(random() * DAY);
      rows.push([user, 'signup', iso(joined), group.source]);
      for (let week = 0; week < group.weekly.length; week++) {
        if (random() >= group.weekly[week]) continue;
        const sessions = 1 + Math.floor(random() * (group.source === 'migrated' ? 5 : 3));
        for (let s = 0; s < sessions; s++) {
          const at = joined + week * 7 * DAY + Math.floor(random() * 7 * DAY);
          if (at >= start + 56 * DAY) continue;
          const pick = random();
          let acc = 0;
          const goal = GOALS.find((_, i) => (acc += group.goals[i]) > pick) ?? GOALS[0];
          rows.push([user, goal, iso(at), group.source]);
        }
      }
    }
  }
  rows.sort((a, b) => String(a[2]).localeCompare(String(b[2])));
  return csvText(['user_id', 'event', 'ts', 'source'], rows);
}
