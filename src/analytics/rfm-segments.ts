/**
 * RFM segment names from the R and F scores: the 5 × 5 recency × frequency grid published with the
 * widely used RFM segment map (as in the "RFM Analysis" / CRISP-DM Online Retail tutorials:
 * `[1-2][1-2]` Hibernating, `[1-2][3-4]` At risk, `[1-2]5` Can't lose them, `3[1-2]` About to sleep,
 * `33` Need attention, `[3-4][4-5]` Loyal, `41` Promising, `51` New customers, `[4-5][2-3]` Potential
 * loyalist, `5[4-5]` Champions). One change: the cell R = 1, F = 1 (oldest and rarest) is "Lost",
 * the name Putler's and the rfm R package's maps give those customers, so all 11 usual names occur.
 * Every (R, F) pair has exactly one segment.
 */

/**
 * The segments, best first: the order of summary rows.
 *
 * @example
 * RFM_SEGMENTS[0] // 'Champions'
 */
export const RFM_SEGMENTS = [
  'Champions', 'Loyal', 'Potential loyalist', 'New customers', 'Promising', 'Need attention',
  'About to sleep', 'At risk', "Can't lose them", 'Hibernating', 'Lost',
] as const;

export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/**
 * The segment of an R score and an F score (each 1..5, 5 best).
 *
 * @example
 * rfmSegment(5, 1) // 'New customers'
 */
export function rfmSegment(r: number, f: number): RfmSegment {
  if (r <= 2) {
    if (f <= 2) return r === 1 && f === 1 ? 'Lost' : 'Hibernating';
    return f <= 4 ? 'At risk' : "Can't lose them";
  }
  if (r === 3) return f <= 2 ? 'About to sleep' : f === 3 ? 'Need attention' : 'Loyal';
  if (f === 1) return r === 4 ? 'Promising' : 'New customers';
  if (f <= 3) return 'Potential loyalist';
  return r === 4 ? 'Loyal' : 'Champions';
}

/**
 * The grid as a DuckDB list literal indexed by `(r - 1) * 5 + f`, so SQL names the segment in one lookup.
 *
 * @example
 * `${rfmSegmentListSql()}[(r - 1) * 5 + f] AS segment` // "['Lost', 'Hibernating', ...][(r - 1) * 5 + f] AS segment"
 */
export function rfmSegmentListSql(): string {
  const names: string[] = [];
  for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) names.push(`'${rfmSegment(r, f).replaceAll("'", "''")}'`);
  return `[${names.join(', ')}]`;
}
