import { closeSync, openSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { COUNTRIES, EVENT_NAMES, YEAR_SECONDS, YEAR_START_MS, type EventColumns } from './event-log.ts';
import { UserIds } from './user-ids.ts';

const CHUNK_ROWS = 200_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/** `YYYY-MM-DDT` of every day of 2024, so a row's timestamp is a few concatenations. */
const DAY_PREFIX = Array.from({ length: YEAR_SECONDS / 86_400 }, (_, d) =>
  new Date(YEAR_START_MS + d * 86_400_000).toISOString().slice(0, 11));

function isoSecond(second: number): string {
  const inDay = second % 86_400;
  return DAY_PREFIX[(second - inDay) / 86_400] + TWO_DIGITS[Math.floor(inDay / 3600)] + ':'
    + TWO_DIGITS[Math.floor(inDay / 60) % 60] + ':' + TWO_DIGITS[inDay % 60] + 'Z';
}

/**
 * Writes the log as CSV (`user_id,event,ts,revenue,country`, ISO timestamps with `Z`, empty revenue
 * where there is none) in chunks, and returns its byte size and SHA-256.
 *
 * @example
 * writeEventsCsv(simulateEventLog({ events: 1000, users: 200 }, 1), 'events.csv');
 */
export function writeEventsCsv(log: EventColumns, path: string): { bytes: number; sha256: string } {
  const ids = new UserIds(log.users);
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    const write = (text: string) => {
      const buffer = Buffer.from(text, 'utf8');
      hash.update(buffer);
      writeSync(fd, buffer);
      bytes += buffer.length;
    };
    write('user_id,event,ts,revenue,country\n');
    for (let from = 0; from < log.length; from += CHUNK_ROWS) {
      const lines: string[] = [];
      for (let i = from; i < Math.min(log.length, from + CHUNK_ROWS); i++) {
        const revenue = log.revenue[i];
        lines.push(`${ids.text(log.user[i])},${EVENT_NAMES[log.event[i]]},${isoSecond(log.second[i])},${Number.isNaN(revenue) ? '' : revenue},${COUNTRIES[log.userCountry[log.user[i]]]}\n`);
      }
      write(lines.join(''));
    }
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: hash.digest('hex') };
}
