/**
 * Three people, weeks from Monday: a and b sign up in the week of Jan 1, c in the week of Jan 8; a
 * comes back in both later weeks, b never, c the week after. Weekly retention counted by hand:
 * cohort 2024-01-01, 2 people: week 1 1 of 2, week 2 1 of 2; 2024-01-08, 1 person: week 1 1 of 1;
 * 2024-01-15: nobody.
 */
export const THREE_SIGNUPS = `user_id,event,ts
a,signup,2024-01-01T10:00:00Z
a,visit,2024-01-09T10:00:00Z
a,visit,2024-01-16T10:00:00Z
b,signup,2024-01-02T10:00:00Z
c,signup,2024-01-08T09:00:00Z
c,visit,2024-01-15T09:00:00Z
`;

/** The weekly retention spec those counts are for. */
export const WEEKLY_RETENTION = { kind: 'retention', period: 'week', start_event: 'signup', intervals: 3 };

/** Its cells as `[cohort, period, users, cohort_size]`, counted by hand. */
export const WEEKLY_CELLS = [
  ['2024-01-01', 0, 2, 2], ['2024-01-01', 1, 1, 2], ['2024-01-01', 2, 1, 2],
  ['2024-01-08', 0, 1, 1], ['2024-01-08', 1, 1, 1],
  ['2024-01-15', 0, 0, 0],
];
