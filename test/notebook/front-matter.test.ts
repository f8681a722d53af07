import { describe, expect, test } from 'vitest';
import { frontMatterValue, isOwnFile, notebookData, notebookTitle, parseNotebook, rememberImport, savedImport, writeNotebook } from '../../src/notebook/index.ts';

// Front matter is YAML, read with the `yaml` package; the notebook keeps its text verbatim, so
// the round trip stays byte for byte (issue 16).
describe('front matter', () => {
  test('one data file with its mapping and zone', () => {
    expect(notebookData('title: Retail\ndata: samples/online-retail.csv.gz\nmapping: event=:purchase\ntimezone: Europe/London\n'))
      .toEqual([{ file: 'samples/online-retail.csv.gz', mapping: { event: ':purchase' }, timezone: 'Europe/London' }]);
    expect(notebookData('data: generated:growth-lies\n')).toEqual([{ file: 'generated:growth-lies', mapping: {}, timezone: undefined }]);
    expect(notebookData('title: No data\n')).toEqual([]);
    expect(notebookData(undefined)).toEqual([]);
  });

  test('YAML as people write it: comments, quotes with escapes, a block scalar, a mapping as a map', () => {
    const yaml = [
      '# which log this notebook reads',
      'data: "samples/online-retail.csv.gz"   # the UCI shop',
      "mapping: {event: ':purchase', user_id: CustomerID}",
      "title: 'A game''s cohort table'",
    ].join('\n');
    expect(notebookData(yaml)).toEqual([{ file: 'samples/online-retail.csv.gz', mapping: { event: ':purchase', user_id: 'CustomerID' }, timezone: undefined }]);
    expect(frontMatterValue(yaml, 'title')).toBe("A game's cohort table");
    expect(frontMatterValue('title: "Churn \\"and\\" LTV" # draft\n', 'title')).toBe('Churn "and" LTV');
    expect(notebookTitle(parseNotebook('---\ntitle: >\n  Weekly\n  cohorts\n---\n\n# Other\n'))).toBe('Weekly cohorts');
    // a key nested under another is not a top-level one
    expect(notebookData('notes:\n  data: samples/shop-events.csv\n')).toEqual([]);
  });

  test('a list of logs, as names or {file, mapping, timezone}', () => {
    const yaml = 'data:\n  - generated:growth-lies\n  - file: samples/online-retail.csv.gz  # orders\n    mapping: event=:purchase\n    timezone: Europe/London\n';
    expect(notebookData(yaml)).toEqual([
      { file: 'generated:growth-lies', mapping: {} },
      { file: 'samples/online-retail.csv.gz', mapping: { event: ':purchase' }, timezone: 'Europe/London' },
    ]);
  });

  test('front matter that is not YAML, or data of another shape, is an error that says where', () => {
    expect(() => notebookData('title: x\ndata: [samples/a.csv\n')).toThrow(/^front matter, line \d+: /);
    expect(() => notebookData('data: {x: 1}\n')).toThrow('front matter: data must be a file name, or a list of them');
    expect(() => notebookData('data:\n  - {mapping: event=:x}\n')).toThrow('front matter: data[0]: each item is a file name or {file, mapping, timezone}');
    expect(() => notebookData('data: a.csv\nmapping: colour=red\n')).toThrow(/^front matter: invalid mapping "colour=red"/);
    // the title falls back to the first heading; the text is kept as it was
    const broken = '---\ntitle: [oops\n---\n\n# Heading\n';
    expect(notebookTitle(parseNotebook(broken))).toBe('Heading');
    expect(writeNotebook(parseNotebook(broken))).toBe(broken);
  });
});

describe('the import step\'s choices in front matter', () => {
  const RETAIL = { file: 'online-retail.csv.gz', mapping: { user_id: 'CustomerID', event: ':purchase', ts: 'InvoiceDate', revenue: '' }, timezone: 'Europe/London' };

  test('kept under data:, beside what was there, and read back as the same choices', () => {
    const text = rememberImport('title: Retail\ndata: samples/shop-events.csv\nmapping: event=:view\n', RETAIL)!;
    expect(text).toBe([
      'title: Retail', 'data:', '  - file: samples/shop-events.csv', '    mapping: event=:view',
      '  - file: online-retail.csv.gz', '    mapping:', '      user_id: CustomerID', '      event: :purchase', '      ts: InvoiceDate', '      revenue: ""',
      '    timezone: Europe/London', '',
    ].join('\n'));
    expect(notebookData(text)).toEqual([
      { file: 'samples/shop-events.csv', mapping: { event: ':view' } },
      { file: 'online-retail.csv.gz', mapping: RETAIL.mapping, timezone: 'Europe/London' },
    ]);
    expect(savedImport(text, 'online-retail.csv.gz')).toEqual({ file: 'online-retail.csv.gz', mapping: RETAIL.mapping, timezone: 'Europe/London' });
    // the sample is the app's, not the person's own file
    expect(savedImport(text, 'shop-events.csv')).toBeUndefined();
  });

  test('importing the file again replaces its item; several files are one item', () => {
    const once = rememberImport(undefined, RETAIL);
    const twice = rememberImport(once, { ...RETAIL, mapping: { ...RETAIL.mapping, event: ':sale' }, timezone: undefined });
    expect(notebookData(twice)).toEqual([{ file: 'online-retail.csv.gz', mapping: { ...RETAIL.mapping, event: ':sale' } }]);
    const both = rememberImport(twice, { file: 'jan.csv', files: ['jan.csv', 'feb.csv'], mapping: { user_id: 'u', event: 'e', ts: 't', revenue: '' }, encoding: 'windows-1251' });
    expect(savedImport(both, 'feb.csv')).toEqual({ file: 'jan.csv', files: ['jan.csv', 'feb.csv'], mapping: { user_id: 'u', event: 'e', ts: 't', revenue: '' }, encoding: 'windows-1251' });
  });

  test('front matter that is not YAML is left as it was; only bare names are the person\'s own files', () => {
    expect(rememberImport('title: [unclosed\n', RETAIL)).toBe('title: [unclosed\n');
    expect([isOwnFile('orders.csv'), isOwnFile('samples/orders.csv'), isOwnFile('http://x/orders.csv'), isOwnFile('generated:growth-lies')]).toEqual([true, false, false, false]);
  });
});
