import { describe, expect, test } from 'vitest';
import { strToU8, zlibSync } from 'fflate';
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

/** A fragment made the way encodeShareLink makes one, around any payload an attacker chooses. */
function craftedLink(payload: unknown): string {
  const json = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return `#nb=${Buffer.from(zlibSync(strToU8(json), { level: 9 })).toString('base64url')}`;
}

describe('share links an attacker made (issue 14.7)', () => {
  test('a small link that expands past the cap is refused in one sentence, without expanding it all', () => {
    // 64 MB of spaces compress to about 64 KB: a link that would take the tab down
    const bomb = `{"v":1,"text":"${' '.repeat(64 * 1024 * 1024)}","data":[]}`;
    const link = craftedLink(bomb);
    expect(link.length).toBeLessThan(200_000);
    expect(() => decodeShareLink(link)).toThrow(/^this notebook link expands to more than 32 MB, more than any notebook cohortbook makes: it was not opened$/);
  });

  test('a data file inside the link that expands past the cap is refused too', () => {
    const packed = Buffer.from(zlibSync(new Uint8Array(48 * 1024 * 1024), { level: 9 })).toString('base64url');
    expect(() => decodeShareLink(craftedLink({ v: 1, text: '# x', data: [{ name: 'zeros.csv', bytes: packed }], missing: [] })))
      .toThrow(/^this notebook link expands to more than 32 MB/);
  });

  const shapes: [string, unknown, RegExp][] = [
    ['not JSON', 'nb{', /^this notebook link is damaged or cut short/],
    ['not an object', '[1, 2]', /^this link does not hold a cohortbook notebook: it holds no notebook text$/],
    ['text that is not text', { v: 1, text: 42, data: [] }, /^this link does not hold a cohortbook notebook: it holds no notebook text$/],
    ['a newer version', { v: 2, text: '# x', data: [] }, /^this notebook link was made by a newer cohortbook$/],
    ['data that is not a list', { v: 1, text: '# x', data: 'all' }, /^this link does not hold a cohortbook notebook: its data is not a list of files$/],
    ['a data file without a name', { v: 1, text: '# x', data: [{ sample: 'samples/shop-events.csv' }] }, /^this link does not hold a cohortbook notebook: data file 1 has no usable name$/],
    ['a data file named like a path', { v: 1, text: '# x', data: [{ name: '../../orders.csv', bytes: '' }] }, /^this link does not hold a cohortbook notebook: data file 1 has no usable name$/],
    ['a data file with both a sample and bytes', { v: 1, text: '# x', data: [{ name: 'a.csv', sample: 'samples/shop-events.csv', bytes: 'eJw' }] }, /^this link does not hold a cohortbook notebook: data file 1 "a.csv" must be either a sample or bytes$/],
    ['bytes that are not base64url', { v: 1, text: '# x', data: [{ name: 'a.csv', bytes: '<script>' }] }, /^this link does not hold a cohortbook notebook: data file 1 "a.csv" is damaged$/],
    ['missing files that are not names', { v: 1, text: '# x', data: [], missing: [{}] }, /^this link does not hold a cohortbook notebook: its list of missing files is not a list of names$/],
  ];
  for (const [label, payload, message] of shapes) {
    test(`a link whose payload is ${label} gets one sentence`, () => {
      expect(() => decodeShareLink(craftedLink(payload))).toThrow(message);
    });
  }
});
