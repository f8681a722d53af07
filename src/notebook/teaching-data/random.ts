/** mulberry32: the one seeded PRNG of the project (teaching data, test logs, the benchmark), so a seed gives the same numbers on every machine and run. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rows as CSV text with a header; values never contain commas or quotes here. */
export function csvText(header: string[], rows: (string | number | null)[][]): string {
  const lines = [header.join(',')];
  for (const row of rows) lines.push(row.map((v) => (v === null ? '' : String(v))).join(','));
  return `${lines.join('\n')}\n`;
}

export const DAY = 86_400_000;

/** `YYYY-MM-DDTHH:MM:SSZ` for an epoch-ms instant. */
export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
