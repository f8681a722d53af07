import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { frontMatterFields, parseExerciseSpec, parseNotebook } from '../../src/notebook/index.ts';

// The course: the shipped notebooks in order, each with 3 to 6 exercises, every exercise checked by
// the real `cohortbook check` (a child process, on each notebook's own data), and each notebook's
// student worksheet (`run --for student`) searched for every answer the checks computed.

const LANGUAGES = ['', 'ru/'].filter((dir) => dir === '' || existsSync(`notebooks/${dir}`));
const FILES = LANGUAGES.flatMap((dir) => readdirSync(`notebooks/${dir || '.'}`).filter((f) => f.endsWith('.md')).map((f) => `${dir}${f}`)).sort();

interface Checked {
  name: string;
  answer: string;
  ok: boolean;
  expected?: string;
  value?: number | string | boolean | null;
  error?: string;
}
interface Result {
  code: number | null;
  output: string;
  exercises: Checked[];
  worksheet: string;
}

const out = mkdtempSync(join(tmpdir(), 'cohortbook-course-'));
const results = new Map<string, Promise<Result>>();

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/cohortbook.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function checkNotebook(file: string): Promise<Result> {
  const checked = await cli(['check', `notebooks/${file}`]);
  const worksheet = join(out, `${file.replace(/\W/g, '_')}.html`);
  const run = await cli(['run', `notebooks/${file}`, '--for', 'student', '--out', worksheet]);
  let exercises: Checked[] = [];
  try {
    exercises = JSON.parse(checked.stdout).exercises;
  } catch {
    // the output says why
  }
  return {
    code: checked.code === 0 ? run.code : checked.code, output: checked.stderr + run.stderr, exercises,
    worksheet: existsSync(worksheet) ? readFileSync(worksheet, 'utf8') : '',
  };
}

beforeAll(async () => {
  const queue = [...FILES];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const result = checkNotebook(file);
      results.set(file, result);
      await result;
    }
  };
  await Promise.all([worker(), worker()]);
}, 900_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

const notebooks = FILES.map((file) => {
  const notebook = parseNotebook(readFileSync(`notebooks/${file}`, 'utf8'));
  const fields = frontMatterFields(notebook.frontMatter);
  return { file, fields, exercises: notebook.cells.filter((c) => c.kind === 'exercise') };
});

/** The ways a number may be written in a page: 1200, 1,200, 1 200, 0.577, 0,577, 57.7 %, 57,7 %. */
function writings(value: number): string[] {
  const forms = new Set<string>();
  const add = (text: string) => { forms.add(text); forms.add(text.replace('.', ',')); };
  if (Number.isInteger(value)) {
    add(String(value));
    forms.add(value.toLocaleString('en-US'));
    forms.add(value.toLocaleString('ru-RU').replace(/\s/g, ' '));
  } else {
    for (const digits of [1, 2, 3, 4]) {
      const rounded = value.toFixed(digits);
      // 0.2 for 0.22 is too short to mean the answer: only forms that hold its first two significant digits
      if (Math.abs(Number(rounded) - value) <= Math.abs(value) * 0.01) add(rounded.replace(/^0\./, '0.'));
    }
    if (Math.abs(value) < 1) for (const digits of [1, 2]) add((value * 100).toFixed(digits));
  }
  return [...forms];
}

/** Whether a page's text holds the number as a number of its own (not a part of a longer one). */
function holdsNumber(text: string, form: string): boolean {
  const escaped = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[\\s\\u00a0\\u202f]');
  return new RegExp(`(?<![\\d.,])${escaped}(?![\\d]|[.,]\\d)`).test(text);
}

describe.each(FILES.filter((f) => !f.includes('/')))('the course: %s', (file) => {
  const notebook = notebooks.find((n) => n.file === file)!;

  test('has its place in the course, a line of what it teaches, and 3 to 6 exercises', () => {
    expect(typeof notebook.fields.course, 'course: N in the front matter').toBe('number');
    expect(typeof notebook.fields.learn).toBe('string');
    expect(notebook.exercises.length).toBeGreaterThanOrEqual(3);
    expect(notebook.exercises.length).toBeLessThanOrEqual(6);
  });

  test('cohortbook check runs every exercise\'s check on the notebook\'s data', async () => {
    const result = await results.get(file)!;
    expect(result.code, result.output).toBe(0);
    expect(result.exercises.map((e) => e.name)).toEqual(notebook.exercises.map((c) => c.name));
    expect(result.exercises.filter((e) => !e.ok)).toEqual([]);
  });

  test('the student worksheet holds every question and none of the answers', async () => {
    const result = await results.get(file)!;
    const { document } = new JSDOM(result.worksheet).window;
    const text = document.body.textContent ?? '';
    for (const cell of notebook.exercises) {
      const spec = parseExerciseSpec(cell.source);
      // the question as rendered: Markdown's code and emphasis marks gone
      expect(text).toContain(spec.question.replace(/[`*]/g, '').slice(0, 30).replace(/\s+$/, ''));
    }
    expect(document.querySelectorAll('.expected').length).toBe(0);
    // without the choices' own list, a choice's answer must not be named either
    for (const list of document.querySelectorAll('ul.choices')) list.remove();
    const rest = document.body.textContent ?? '';
    for (const exercise of result.exercises) {
      if (typeof exercise.value === 'number') {
        for (const form of writings(exercise.value)) expect(holdsNumber(rest, form), `${exercise.name}: ${form}`).toBe(false);
      }
      if (typeof exercise.value === 'string') expect(rest.includes(`Answer: ${exercise.value}`), exercise.name).toBe(false);
    }
  });
});

describe.each(FILES.filter((f) => f.includes('/')))('a translation: %s', (file) => {
  const notebook = notebooks.find((n) => n.file === file)!;
  const original = notebooks.find((n) => n.file === file.replace(/^\w+\//, ''))!;

  test('has the same data, place in the course and exercises as the English one', () => {
    expect(original, 'the English notebook it translates').toBeDefined();
    expect(notebook.fields.data).toEqual(original.fields.data);
    expect(notebook.fields.course).toBe(original.fields.course);
    const same = (cells: typeof notebook.exercises) => cells.map((c) => {
      const spec = parseExerciseSpec(c.source);
      return { name: c.name, answer: spec.answer, choices: spec.choices, tolerance: spec.tolerance, check: spec.check, hints: spec.hints.length };
    });
    expect(same(notebook.exercises)).toEqual(same(original.exercises));
    expect(notebook.exercises.map((c) => parseExerciseSpec(c.source).question)).not.toEqual(original.exercises.map((c) => parseExerciseSpec(c.source).question));
  });

  test('cohortbook check gives the same answers as for the English one', async () => {
    const result = await results.get(file)!;
    const english = await results.get(original.file)!;
    expect(result.code, result.output).toBe(0);
    expect(result.exercises).toEqual(english.exercises);
  });
});

describe('the course as a whole', () => {
  const english = notebooks.filter((n) => !n.file.includes('/'));

  test('at least 25 exercises, in an order where each notebook names the next', () => {
    expect(english.reduce((sum, n) => sum + n.exercises.length, 0)).toBeGreaterThanOrEqual(25);
    const ordered = [...english].sort((a, b) => Number(a.fields.course) - Number(b.fields.course));
    expect(ordered[0].file).toBe('getting-started.md');
    ordered.forEach((n, i) => {
      const next = ordered[i + 1];
      expect(n.fields.next, n.file).toBe(next?.file);
      if (next) expect(readFileSync(`notebooks/${n.file}`, 'utf8'), n.file).toContain(`](${next.file})`);
    });
  });

  test('the check of the numbers a student could find in the prose: the worksheet search would see them', () => {
    // the search is not blind: a number that is in the text is found in each way it is written
    expect(holdsNumber('so 1,200 EUR of CLV', '1,200')).toBe(true);
    expect(holdsNumber('about 0.15 of them', '0.15')).toBe(true);
    expect(holdsNumber('about 0.153 of them', '0.15')).toBe(false);
    expect(holdsNumber('21,200 people', '1,200')).toBe(false);
    expect(writings(0.5773)).toEqual(expect.arrayContaining(['0.58', '0,577', '57.7', '57,73']));
    expect(writings(948)).toEqual(expect.arrayContaining(['948']));
  });
});
