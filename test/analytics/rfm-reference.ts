// RFM by its definitions, for the tests: the R × F grid as published and NTILE(5) by hand.

// The published R × F grid (rows R = 1..5, columns F = 1..5), with R1 F1 = Lost.
export const GRID = [
  ['Lost', 'Hibernating', 'At risk', 'At risk', "Can't lose them"],
  ['Hibernating', 'Hibernating', 'At risk', 'At risk', "Can't lose them"],
  ['About to sleep', 'About to sleep', 'Need attention', 'Loyal', 'Loyal'],
  ['Promising', 'Potential loyalist', 'Potential loyalist', 'Loyal', 'Loyal'],
  ['New customers', 'Potential loyalist', 'Potential loyalist', 'Champions', 'Champions'],
];

/** NTILE(5) by definition: sorted rows cut into 5 groups, the first n mod 5 groups one larger. */
export function ntile<T>(items: T[], compare: (a: T, b: T) => number): Map<T, number> {
  const sorted = [...items].sort(compare);
  const size = Math.floor(sorted.length / 5);
  const extra = sorted.length % 5;
  const scores = new Map<T, number>();
  let i = 0;
  for (let bucket = 1; bucket <= 5; bucket++) {
    for (let k = 0; k < size + (bucket <= extra ? 1 : 0); k++) scores.set(sorted[i++], bucket);
  }
  return scores;
}
