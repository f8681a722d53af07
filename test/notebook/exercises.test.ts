import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as aq from 'arquero';
import { JSDOM } from 'jsdom';
import type { Engine } from '../../src/engine/index.ts';
import {
  NotebookRuntime, UNTRUSTED_CHECK_MESSAGE, buildReport, createCell, isExerciseDisplay, judgeChoice, judgeNumber, judgeTable, judgeValue,
  markdownRenderer, parseExerciseSpec, parseNotebook, parseNumberAnswer, renderHtmlReport, verdictText, writeNotebook,
  type Cell, type Expected, type RuntimeHost,
} from '../../src/notebook/index.ts';
import { loadTestEvents } from '../helpers/events.ts';
import { createNodeHost } from './node-host.ts';

let engine: Engine;
let host: RuntimeHost;

// three people sign up; u1 and u2 buy (10 + 5 + 7 = 22 of revenue), u3 never does
const EVENTS = [
  { user_id: 'u1', event: 'signup', ts: '2024-01-01T09:00:00Z' },
  { user_id: 'u1', event: 'purchase', ts: '2024-01-02T10:00:00Z', revenue: 10 },
  { user_id: 'u1', event: 'purchase', ts: '2024-01-09T10:00:00Z', revenue: 5 },
  { user_id: 'u2', event: 'signup', ts: '2024-01-03T11:00:00Z' },
  { user_id: 'u2', event: 'purchase', ts: '2024-01-05T12:00:00Z', revenue: 7 },
  { user_id: 'u3', event: 'signup', ts: '2024-01-08T08:00:00Z' },
];

beforeAll(async () => {
  ({ engine, host } = await createNodeHost());
  await loadTestEvents(engine, EVENTS);
});

afterAll(async () => {
  await engine?.close();
});

async function run(cells: Cell[], trusted = true): Promise<NotebookRuntime> {
  const runtime = new NotebookRuntime(host);
  runtime.setTrusted(trusted);
  runtime.setCells(cells);
  await runtime.idle();
  return runtime;
}

const exercise = (name: string, yaml: string) => createCell('exercise', yaml, { name });

describe('exercise specs', () => {
  test('a fenced exercise reads as a cell and writes back byte for byte', () => {
    const text = '# Q\n\n```exercise id=buyers\nquestion: How many people bought?\nanswer: number\nhints:\n  - Count people, not purchases.\ncheck:\n  sql: SELECT count(DISTINCT user_id) FROM events WHERE event = \'purchase\'\n```\n';
    const notebook = parseNotebook(text);
    expect(notebook.cells.map((c) => [c.kind, c.name])).toEqual([['markdown', undefined], ['exercise', 'buyers']]);
    expect(writeNotebook(notebook)).toBe(text);
    const spec = parseExerciseSpec(notebook.cells[1].source);
    expect(spec).toMatchObject({ answer: 'number', hints: ['Count people, not purchases.'], tolerance: { relative: 0.005 }, check: { language: 'sql' } });
  });

  test('mistakes are named with their field and line', () => {
    expect(() => parseExerciseSpec('answer: number')).toThrow('an exercise needs a question');
    expect(() => parseExerciseSpec('question: q\nanswer: essay')).toThrow('the exercise\'s answer must be one of number, choice, table, cell, not "essay"');
    expect(() => parseExerciseSpec('question: q\nanswer: choice\nchoices: [a]')).toThrow('a choice exercise needs at least two choices');
    expect(() => parseExerciseSpec('question: q\nanswer: cell')).toThrow('a cell exercise names what the student\'s cell defines');
    expect(() => parseExerciseSpec('question: q\ntolerance: lots')).toThrow('tolerance is a number (0.01) or a percentage');
    expect(() => parseExerciseSpec('question: q\ncheck:\n  python: 1')).toThrow('the exercise\'s check is "sql: SELECT ..." or "js: ..."');
    try {
      parseExerciseSpec('question: q\nanswr: number');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe('unknown field "answr" in the exercise (fields: question, answer, choices, name, tolerance, ordered, hints, close, explain, check)');
      expect((error as { line?: number }).line).toBe(2);
    }
    expect(() => parseExerciseSpec('question: Look at this: the first row')).toThrow('the exercise is not valid YAML: Nested mappings are not allowed in compact mappings (a text that holds ": " needs quotes: question: \'Look at this: the first row\')');
    expect(parseExerciseSpec('question: q\ntolerance: 1%').tolerance).toEqual({ relative: 0.01 });
    expect(parseExerciseSpec('question: q\ntolerance: 0.5').tolerance).toEqual({ absolute: 0.5 });
  });
});

describe('judging answers', () => {
  test('numbers as people type them, in English and Russian', () => {
    expect(parseNumberAnswer('0.577')).toEqual({ value: 0.577, percent: false });
    expect(parseNumberAnswer('57.7 %')).toEqual({ value: 0.577, percent: true });
    expect(parseNumberAnswer('57,7 %', 'ru')).toEqual({ value: 0.577, percent: true });
    expect(parseNumberAnswer('1,200')).toEqual({ value: 1200, percent: false });
    expect(parseNumberAnswer('1,5', 'ru')).toEqual({ value: 1.5, percent: false });
    expect(parseNumberAnswer('1 200,5', 'ru')).toEqual({ value: 1200.5, percent: false });
    expect(parseNumberAnswer('1.200,5', 'de')).toEqual({ value: 1200.5, percent: false });
    expect(parseNumberAnswer('−3')).toEqual({ value: -3, percent: false });
    expect(parseNumberAnswer('about 12')).toBeNull();
    expect(parseNumberAnswer('%')).toBeNull();
  });

  test('a number: right within the tolerance, close when near or written as a percentage, wrong otherwise', () => {
    const spec = { tolerance: { relative: 0.005 } };
    expect(judgeNumber('1200', 1200, spec).verdict).toBe('right');
    expect(judgeNumber('1,203', 1200, spec).verdict).toBe('right'); // 0.25 % off
    expect(judgeNumber('1,250', 1200, spec)).toEqual({ verdict: 'close', reason: 'near', params: { direction: 'high' } });
    expect(judgeNumber('600', 1200, spec)).toEqual({ verdict: 'wrong', reason: 'wrong-number', params: { direction: 'low' } });
    expect(judgeNumber('57.7 %', 0.5773, spec).verdict).toBe('right');
    expect(judgeNumber('0.577', 0.5773, spec).verdict).toBe('right');
    expect(judgeNumber('57.7', 0.5773, spec)).toMatchObject({ verdict: 'close', reason: 'percent-for-share' });
    expect(judgeNumber('twelve', 12, spec)).toMatchObject({ verdict: 'wrong', reason: 'not-a-number' });
    expect(judgeNumber('', 12, spec).reason).toBe('empty');
    // an absolute tolerance
    expect(judgeNumber('0.31', 0.3, { tolerance: { absolute: 0.01 } }).verdict).toBe('right');
    expect(judgeNumber('0.32', 0.3, { tolerance: { absolute: 0.01 } }).verdict).toBe('close');
    expect(verdictText(judgeNumber('57.7', 0.5773, spec))).toBe('Close: 57.7 looks like a percentage. Write it with a % sign, or as a share (0.577 for 57.7 %).');
  });

  test('a choice', () => {
    expect(judgeChoice('not significant', 'not significant').verdict).toBe('right');
    expect(judgeChoice('significant', 'not significant').verdict).toBe('wrong');
    expect(judgeChoice(null, 'x').reason).toBe('no-choice');
  });

  test('a table: columns by name, rows in any order, numbers within the tolerance', () => {
    const expected: Extract<Expected, { kind: 'table' }> = {
      kind: 'table', columns: ['cohort', 'people'], rows: [{ cohort: '2024-01', people: 10 }, { cohort: '2024-02', people: 20 }, { cohort: '2024-03', people: 5 }],
    };
    const spec = { tolerance: { relative: 0.005 }, ordered: false };
    const t = (rows: Record<string, unknown>[]) => aq.from(rows);
    expect(judgeTable(t([{ People: 20, cohort: '2024-02', extra: 1 }, { People: 10, cohort: '2024-01', extra: 2 }, { People: 5, cohort: '2024-03', extra: 3 }]), expected, spec).verdict).toBe('right');
    expect(judgeTable(t([{ c: '2024-01', n: 10 }, { c: '2024-02', n: 20 }, { c: '2024-03', n: 5 }]), expected, spec))
      .toEqual({ verdict: 'close', reason: 'columns-named', params: { columns: 'cohort, people' } });
    expect(judgeTable(t([{ cohort: '2024-01', n: 10 }]), expected, spec)).toEqual({ verdict: 'wrong', reason: 'missing-columns', params: { columns: 'people' } });
    expect(judgeTable(t([{ cohort: '2024-01', people: 10 }, { cohort: '2024-02', people: 20 }]), expected, spec))
      .toEqual({ verdict: 'wrong', reason: 'row-count', params: { expected: 3, actual: 2 } });
    expect(judgeTable(t([{ cohort: '2024-01', people: 10 }, { cohort: '2024-02', people: 21 }, { cohort: '2024-03', people: 5 }]), expected, spec))
      .toMatchObject({ verdict: 'wrong', reason: 'rows-differ', params: { count: 1, total: 3, row: 'cohort = 2024-02, people = 21' } });
    const ordered = { ...spec, ordered: true };
    expect(judgeTable(t([expected.rows[1], expected.rows[0], expected.rows[2]]), expected, ordered).reason).toBe('order');
    expect(judgeTable(t(expected.rows), expected, ordered).verdict).toBe('right');
    expect(judgeTable(42, expected, spec).reason).toBe('not-a-table');
    // five rows, one wrong: close
    const five: Extract<Expected, { kind: 'table' }> = { kind: 'table', columns: ['k'], rows: [1, 2, 3, 4, 5].map((k) => ({ k })) };
    expect(judgeTable(t([1, 2, 3, 4, 6].map((k) => ({ k }))), five, spec).verdict).toBe('close');
  });

  test('a cell\'s value: a one-cell table counts as its value', () => {
    const spec = { tolerance: { relative: 0.005 }, ordered: false };
    expect(judgeValue(aq.table({ n: [22] }), { kind: 'value', value: 22 }, spec).verdict).toBe('right');
    expect(judgeValue(21, { kind: 'value', value: 22 }, spec).verdict).toBe('close');
    expect(judgeValue('yes', { kind: 'value', value: 'no' }, spec).verdict).toBe('wrong');
  });
});

describe('exercise cells in the runtime', () => {
  test('a SQL check computes the expected answer from the data and the notebook\'s own tables', async () => {
    const buyers = createCell('sql', "SELECT user_id, sum(revenue) AS revenue FROM events WHERE event = 'purchase' GROUP BY 1", { name: 'buyers' });
    const number = exercise('revenue', 'question: Total revenue?\nanswer: number\ncheck:\n  sql: SELECT sum(revenue) FROM buyers');
    const table = exercise('per_buyer', 'question: Revenue per buyer\nanswer: table\ncheck: SELECT user_id, revenue FROM buyers ORDER BY 1');
    const runtime = await run([buyers, number, table]);
    const shown = runtime.state(number.id);
    expect(shown.references).toEqual(['buyers']);
    expect(isExerciseDisplay(shown.value) && shown.value.expected).toEqual({ kind: 'value', value: 22 });
    const t = runtime.state(table.id).value;
    expect(isExerciseDisplay(t) && t.expected).toEqual({ kind: 'table', columns: ['user_id', 'revenue'], rows: [{ user_id: 'u1', revenue: 15 }, { user_id: 'u2', revenue: 7 }] });
    // a student's query is judged against it
    const answer = await runtime.query("SELECT user_id, sum(revenue) AS revenue FROM events WHERE revenue IS NOT NULL GROUP BY 1");
    expect(judgeTable(answer, (t as { expected: Extract<Expected, { kind: 'table' }> }).expected, { tolerance: { relative: 0.005 }, ordered: false }).verdict).toBe('right');
    await expect(runtime.query('SELECT 1; SELECT 2')).rejects.toThrow('a SQL cell runs one statement');
  });

  test('the cell a student writes is found by name, with its value', async () => {
    const ask = exercise('count', 'question: Define n\nanswer: cell\nname: n\ncheck:\n  sql: SELECT count(DISTINCT user_id) FROM events');
    const none = await run([ask]);
    expect(none.definedValue('n')).toEqual({ found: false });
    const answer = createCell('js', 'const n = 3;');
    const runtime = await run([ask, answer]);
    const found = runtime.definedValue('n');
    expect(found).toMatchObject({ found: true, status: 'done', value: 3 });
    const shown = runtime.state(ask.id).value;
    expect(isExerciseDisplay(shown) && judgeValue((found as { value: unknown }).value, shown.expected, shown.spec).verdict).toBe('right');
  });

  test('a JavaScript check waits for trust; a SQL check runs in an untrusted notebook', async () => {
    const js = exercise('clv', 'question: CLV at 50 a month for 24 months?\ncheck:\n  js: 50 * 24');
    const sql = exercise('people', 'question: People?\ncheck:\n  sql: SELECT count(DISTINCT user_id) FROM events');
    const runtime = await run([js, sql], false);
    expect(runtime.state(js.id)).toMatchObject({ status: 'idle', error: { message: UNTRUSTED_CHECK_MESSAGE } });
    expect(runtime.state(sql.id).status).toBe('done');
    runtime.setTrusted(true);
    await runtime.idle();
    const shown = runtime.state(js.id).value;
    expect(isExerciseDisplay(shown) && shown.expected).toEqual({ kind: 'value', value: 1200 });
  });

  test('an exercise without a check, a check that errs or gives the wrong shape, says so on its cell', async () => {
    const none = exercise('a', 'question: q');
    const bad = exercise('b', 'question: q\ncheck: SELECT nope FROM events');
    const many = exercise('c', 'question: q\ncheck: SELECT user_id FROM events');
    const choice = exercise('d', 'question: q\nanswer: choice\nchoices: [yes, no]\ncheck: SELECT \'maybe\'');
    const unnamed = createCell('exercise', 'question: q\ncheck: SELECT 1');
    const runtime = await run([none, bad, many, choice, unnamed]);
    expect(runtime.state(none.id).error?.message).toBe('this exercise has no check: add "check:" with the SQL (or "js:") that computes the expected answer');
    expect(runtime.state(bad.id).error?.message).toMatch(/nope/);
    expect(runtime.state(many.id).error?.message).toBe('the check gave 6 rows: a number exercise\'s check gives one value (one row, one column)');
    expect(runtime.state(choice.id).error?.message).toBe('the check gave "maybe", which is none of the choices (yes, no)');
    expect(runtime.state(unnamed.id).error?.message).toMatch(/^an exercise needs a name/);
  });
});

describe('exercise reports', () => {
  const dom = new JSDOM('<!doctype html><body></body>');
  const renderMarkdown = markdownRenderer(dom.window as unknown as Window);

  test('the student version has questions and hints, no outputs, no checks and no answers; the teacher\'s has them', async () => {
    const total = createCell('sql', "SELECT sum(revenue) AS revenue FROM events WHERE event = 'purchase'", { name: 'total' });
    const ask = exercise('revenue', 'question: What is the total revenue?\nanswer: number\nhints: [Add up revenue.]\nexplain: It is the sum of every purchase.\ncheck:\n  sql: SELECT sum(revenue) * 7 AS weekly FROM events');
    const runtime = await run([total, ask]);
    const report = (audience: 'student' | 'teacher') => renderHtmlReport(buildReport({
      title: 'T', cells: [total, ask], state: (id) => runtime.state(id), renderMarkdown, document: dom.window.document, data: [], audience,
    }));
    // the header's "made with cohortbook on DATE TIME UTC" would match an answer at 22:00 or on the 22nd
    const student = new JSDOM(report('student')).window.document.body.textContent!.replace(/made with cohortbook on [\d-]+ [\d:]+ UTC/, '');
    const teacher = new JSDOM(report('teacher')).window.document.body.textContent!;
    expect(student).toContain('What is the total revenue?');
    expect(student).toContain('Add up revenue.');
    expect(student).not.toMatch(/\b154\b/); // 22 × 7
    expect(student).not.toMatch(/\b22\b/); // the SQL cell's output
    expect(student).not.toContain('sum(revenue) * 7');
    expect(student).not.toContain('It is the sum of every purchase.');
    expect(teacher).toContain('Answer: 154');
    expect(teacher).toContain('sum(revenue) * 7');
    expect(teacher).toContain('It is the sum of every purchase.');
  });
});
