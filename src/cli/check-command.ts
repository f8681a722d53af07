import { readFile } from 'node:fs/promises';
import { type EngineKind } from '../engine/index.ts';
import { createNodeEngine } from '../engine/node.ts';
import {
  NotebookRuntime, createEngineHost, describeExpected, isExerciseDisplay, parseExerciseSpec, parseNotebook, UNTRUSTED_CHECK_MESSAGE,
} from '../notebook/index.ts';
import { UsageError } from './cli-error.ts';
import { isShippedNotebook } from './notebook-data-path.ts';
import { installDom, loadNotebookData, type RunOptions } from './run-command.ts';
import type { Say } from './commands.ts';

/** One exercise as `cohortbook check` found it. */
export interface CheckedExercise {
  cell: number;
  name: string | null;
  answer: string | null;
  ok: boolean;
  /** The answer the check computed, as a person reads it. */
  expected?: string;
  /** A number or choice exercise's answer as the check computed it. */
  value?: number | string | boolean | null;
  error?: string;
}

/**
 * `cohortbook check NOTEBOOK.md [--data name=FILE] [--trust]`: runs the notebook on its data, as
 * `run` does, and every exercise's check with it. It fails (exit 1) when an exercise has no check,
 * a check errs, or gives an answer that does not fit the exercise (a choice it does not offer, a
 * number that is none), and when the notebook has no exercise at all; a JavaScript check in a
 * notebook given without `--trust` is not run (exit 3). The expected answers are printed for the
 * teacher.
 */
export async function checkCommand(notebookPath: string | undefined, options: RunOptions, say: Say): Promise<{ output: unknown; failed: boolean; notRun: boolean }> {
  if (!notebookPath) throw new UsageError('check needs a notebook file: cohortbook check NOTEBOOK.md');
  let text: string;
  try {
    text = await readFile(notebookPath, 'utf8');
  } catch (error) {
    throw new Error(`notebook "${notebookPath}": ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : 'cannot be read'}`);
  }
  const notebook = parseNotebook(text);
  const exercises = notebook.cells.map((cell, index) => ({ cell, index })).filter(({ cell }) => cell.kind === 'exercise');
  if (exercises.length === 0) throw new Error(`notebook "${notebookPath}" has no exercises to check (an exercise is a \`\`\`exercise id=NAME fence)`);
  const kind = (options.engine ?? 'wasm') as EngineKind;
  if (kind !== 'wasm' && kind !== 'native') throw new UsageError(`--engine must be wasm or native, not "${kind}"`);
  installDom();
  const engine = await createNodeEngine(kind);
  void engine.parseSql('').catch(() => undefined);
  try {
    await loadNotebookData(engine, notebook.frontMatter, notebookPath, options, say);
    const runtime = new NotebookRuntime(createEngineHost(engine));
    runtime.setTrusted(options.trust === true || isShippedNotebook(notebookPath));
    runtime.setCells(notebook.cells);
    await runtime.idle();
    let notRun = false;
    const checked = exercises.map(({ cell, index }): CheckedExercise => {
      const state = runtime.state(cell.id);
      let answer: string | null = null;
      try {
        answer = parseExerciseSpec(cell.source).answer;
      } catch {
        // the state's error says why
      }
      const base = { cell: index + 1, name: cell.name ?? null, answer };
      if (state.status === 'done' && isExerciseDisplay(state.value)) {
        const { expected } = state.value;
        return { ...base, ok: true, expected: describeExpected(expected), ...(expected.kind === 'value' ? { value: expected.value } : {}) };
      }
      if (state.error?.message === UNTRUSTED_CHECK_MESSAGE) notRun = true;
      return { ...base, ok: false, error: state.error?.message ?? `not run (${state.status})` };
    });
    for (const c of checked) {
      say(c.ok ? `ok    ${c.name} (${c.answer}): ${c.expected}` : `FAIL  ${c.name ?? `cell ${c.cell}`}: ${c.error}`);
    }
    const failed = checked.filter((c) => !c.ok && c.error !== UNTRUSTED_CHECK_MESSAGE).length;
    say(`${checked.length - failed - checked.filter((c) => c.error === UNTRUSTED_CHECK_MESSAGE).length} of ${checked.length} exercises check${failed ? `; ${failed} failed` : ''}`);
    if (notRun) say('a JavaScript check runs only with --trust, which lets it use this machine as any program can; give it only to notebooks you trust');
    return { output: { notebook: notebookPath, exercises: checked }, failed: failed > 0, notRun };
  } finally {
    await engine.close();
  }
}
