import { describe, expect, test } from 'vitest';
import { MAX_LINK_DATA_BYTES, decodeShareLink, encodeShareLink } from '../../src/notebook/share-link.ts';
import { seededRandom } from '../../src/notebook/teaching-data/random.ts';

const TEXT = '# Cohorts\n\n```sql id=weekly\nSELECT 1\n```\n\nÜnïcödé prose ✓\n';

/** Incompressible bytes from a fixed seed. */
function seededBytes(length: number, seed = 7): Uint8Array {
  const next = seededRandom(seed);
  return Uint8Array.from({ length }, () => Math.floor(next() * 256));
}

describe('share links', () => {
  test('carry the notebook text exactly, with a sample named and small data inline', () => {
    const small = new TextEncoder().encode('user_id,event,ts\na,signup,2024-01-01\n'.repeat(50));
    const { fragment, missing } = encodeShareLink({ text: TEXT, data: [{ name: 'shop-events.csv', sample: 'samples/shop-events.csv' }, { name: 'mine.csv', bytes: small }] });
    expect(missing).toEqual([]);
    expect(fragment).toMatch(/^nb=[A-Za-z0-9_-]+$/);
    const shared = decodeShareLink(`#${fragment}`);
    expect(shared.text).toBe(TEXT);
    expect(shared.data[0]).toEqual({ name: 'shop-events.csv', sample: 'samples/shop-events.csv' });
    expect(shared.data[1]).toEqual({ name: 'mine.csv', bytes: small });
  });

  test('leave out data that does not compress under the limit, and name it', () => {
    const big = seededBytes(MAX_LINK_DATA_BYTES + 1000);
    const { fragment, missing } = encodeShareLink({ text: TEXT, data: [{ name: 'big.parquet', bytes: big }] });
    expect(missing).toEqual(['big.parquet']);
    expect(fragment.length).toBeLessThan(2000);
    expect(decodeShareLink(fragment)).toEqual({ text: TEXT, data: [], missing: ['big.parquet'] });
  });

  test('a damaged link gets a readable error', () => {
    const { fragment } = encodeShareLink({ text: TEXT, data: [] });
    expect(() => decodeShareLink(fragment.slice(0, fragment.length - 9))).toThrow(/^this notebook link is damaged or cut short/);
    expect(() => decodeShareLink('#other=1')).toThrow(/^this link holds no notebook$/);
  });
});
