import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BUNDLED_SAMPLES, TEACHING_DATA, providedLogProblem } from '../../src/notebook/index.ts';

/** Issue 14.2: a notebook or a link may name only the logs the app provides itself. */
describe('logs a notebook may name', () => {
  test('the bundled samples are exactly the data files in public/samples', () => {
    const files = readdirSync('public/samples').filter((f) => !/\.md$/i.test(f)).map((f) => `samples/${f}`);
    expect([...BUNDLED_SAMPLES].sort()).toEqual(files.sort());
  });

  test('samples and generated logs are accepted', () => {
    for (const file of [...BUNDLED_SAMPLES, ...Object.keys(TEACHING_DATA).map((n) => `generated:${n}`)]) expect(providedLogProblem(file)).toBeUndefined();
  });

  for (const file of ['http://127.0.0.1:9/evil.csv', '//evil.test/x.csv', '/samples/shop-events.csv', 'samples/../../etc/passwd', 'samples/shop-events.csv?x=1',
    'generated:constructor', 'generated:__proto__', 'data:text/csv,user_id', 'blob:http://x/1', 'orders.csv']) {
    test(`${JSON.stringify(file)} is refused, named, and not fetched`, () => {
      expect(providedLogProblem(file)).toMatch(/^this notebook asks for ".+", which is not a log cohortbook provides \(samples\/shop-events\.csv, .*generated:growth-lies.*\), so it was not fetched: open the file yourself if you want it$/);
    });
  }
});
