import { LitElement, css, html, nothing } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import {
  NO_PROGRESS, judgeChoice, judgeNumber, judgeTable, judgeValue, parseExerciseSpec,
  type ExerciseDisplay, type ExerciseProgress, type ExerciseSpec, type NotebookRuntime, type Verdict,
} from '../notebook/index.ts';
import { renderMarkdown } from './render-markdown.ts';
import { theme } from './theme.ts';
import { Localized, formatNumber, language, t } from './i18n.ts';

/**
 * An exercise cell as the student sees it: the question, a place to answer (a number, a choice, a
 * query, or a pointer to the cell they write), Check, hints one at a time, and the reference
 * answer only when they ask for it. What they did is kept by the app (IndexedDB, per notebook).
 *
 * @fires exercise-progress - detail: { name, progress } after every check, hint or reveal
 */
export class CbExercise extends LitElement {
  static override properties = {
    source: { type: String },
    name: { type: String },
    display: { attribute: false },
    progress: { attribute: false },
    runtime: { attribute: false },
    waiting: { type: String },
    draft: { state: true },
    verdict: { state: true },
    checking: { state: true },
  };

  /** The exercise's YAML, so the question shows before (or without) the check having run. */
  declare source: string;
  declare name: string;
  /** The runtime's display of the cell: the spec and the expected answer. */
  declare display: ExerciseDisplay | null;
  declare progress: ExerciseProgress | undefined;
  /** For answers that are a query or a cell: runs the query, finds the cell. */
  declare runtime: NotebookRuntime | null;
  /** Why there is no expected answer yet (the check's error, or that it waits for trust). */
  declare waiting: string;
  declare draft: string | null;
  declare verdict: Verdict | null;
  declare checking: boolean;

  private readonly localized = new Localized(this);

  constructor() {
    super();
    this.source = '';
    this.name = 'exercise';
    this.display = null;
    this.progress = undefined;
    this.runtime = null;
    this.waiting = '';
    this.draft = null;
    this.verdict = null;
    this.checking = false;
  }

  static override styles = [theme, css`
    :host { display: block; border: 1px solid var(--cb-accent); border-radius: 10px; padding: 10px 14px; background: var(--cb-accent-soft); }
    .question { font-size: 15px; line-height: 1.6; }
    .question :first-child { margin-top: 0; } .question :last-child { margin-bottom: 0; }
    .question code, .note code { font-family: var(--cb-mono); font-size: 13px; }
    .answer { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 10px 0 6px; }
    .answer input[type=text] { width: 12em; }
    fieldset { border: none; padding: 0; margin: 0; display: grid; gap: 4px; }
    fieldset label { display: flex; gap: 6px; align-items: center; font-size: 14px; cursor: pointer; }
    textarea { font: 13px/1.5 var(--cb-mono); width: 100%; min-height: 5em; box-sizing: border-box; border: 1px solid var(--cb-border); border-radius: 6px; padding: 6px; background: var(--cb-surface); color: var(--cb-text); }
    .verdict { font-size: 14px; padding: 6px 10px; border-radius: 8px; margin: 6px 0; }
    .verdict.right { background: #ecfdf3; color: #05603a; border: 1px solid #abefc6; }
    .verdict.close { background: var(--cb-warning-bg); color: var(--cb-warning); border: 1px solid var(--cb-warning-border); }
    .verdict.wrong { background: var(--cb-error-bg); color: var(--cb-error); border: 1px solid var(--cb-error-border); }
    .hints { margin: 6px 0; padding-left: 20px; font-size: 14px; }
    .reference { border-top: 1px dashed var(--cb-border); margin-top: 8px; padding-top: 6px; font-size: 14px; }
    .reference table { border-collapse: collapse; font-size: 13px; } .reference td, .reference th { border: 1px solid var(--cb-border); padding: 2px 8px; }
    /* muted grey is too faint on the exercise's tinted background (4.3:1): full text colour */
    .note { font-size: 13px; color: var(--cb-text); }
    .badge { font-size: 11px; border-radius: 10px; padding: 1px 8px; background: var(--cb-surface); border: 1px solid var(--cb-border); color: var(--cb-text); }
    .badge.right { color: #05603a; border-color: #abefc6; }
  `];

  private spec(): ExerciseSpec | null {
    if (this.display) return this.display.spec;
    try {
      return parseExerciseSpec(this.source);
    } catch {
      return null;
    }
  }

  private get current(): ExerciseProgress {
    return this.progress ?? NO_PROGRESS;
  }

  private save(progress: ExerciseProgress): void {
    this.dispatchEvent(new CustomEvent('exercise-progress', { detail: { name: this.name, progress }, bubbles: true, composed: true }));
  }

  /** The answer as typed or picked now: the draft, else the one kept from before. */
  private answerText(): string {
    return this.draft ?? this.current.answer ?? '';
  }

  private async check(): Promise<void> {
    const display = this.display;
    if (!display) return;
    const { spec, expected } = display;
    const answer = this.answerText();
    this.checking = true;
    let verdict: Verdict;
    try {
      if (spec.answer === 'number' && expected.kind === 'value') verdict = judgeNumber(answer, Number(expected.value), spec, language());
      else if (spec.answer === 'choice' && expected.kind === 'value') verdict = judgeChoice(answer, String(expected.value));
      else if (spec.answer === 'table' && expected.kind === 'table') {
        verdict = answer.trim() === '' ? { verdict: 'wrong', reason: 'empty', params: {} } : judgeTable(await this.runtime!.query(answer), expected, spec);
      } else {
        const found = this.runtime?.definedValue(spec.name!) ?? { found: false as const };
        if (!found.found) verdict = { verdict: 'wrong', reason: 'no-cell', params: { name: spec.name! } };
        else if (found.status !== 'done') verdict = { verdict: 'wrong', reason: 'cell-failed', params: { name: spec.name!, error: found.error ?? found.status } };
        else verdict = judgeValue(found.value, expected, spec);
      }
    } catch (error) {
      verdict = { verdict: 'wrong', reason: 'query-failed', params: { error: (error as Error).message.split('\nSQL: ')[0] } };
    } finally {
      this.checking = false;
    }
    this.verdict = verdict;
    const before = this.current;
    this.save({
      ...before, answered: true, right: before.right || verdict.verdict === 'right', attempts: before.attempts + 1,
      verdict: verdict.verdict, ...(spec.answer === 'cell' ? {} : { answer }),
    });
  }

  private hint(): void {
    const spec = this.spec();
    if (!spec || this.current.hints >= spec.hints.length) return;
    this.save({ ...this.current, hints: this.current.hints + 1 });
  }

  private reveal(): void {
    this.save({ ...this.current, revealed: true });
  }

  private verdictMessage(v: Verdict, spec: ExerciseSpec): string {
    const text = t(`verdict.${v.reason}`, { ...v.params, direction: v.params.direction ? t(`verdict.direction.${v.params.direction}`) : '' });
    return v.verdict === 'close' && spec.close && v.reason === 'near' ? `${text} ${spec.close}` : text;
  }

  private answerControl(spec: ExerciseSpec) {
    const id = `answer-${this.name}`;
    const set = (value: string) => { this.draft = value; this.verdict = null; };
    switch (spec.answer) {
      case 'number':
        return html`<label for=${id}>${t('exercise.yourAnswer')}</label>
          <input id=${id} type="text" inputmode="decimal" autocomplete="off" .value=${this.answerText()} data-testid="exercise-answer"
            @input=${(e: Event) => set((e.target as HTMLInputElement).value)}
            @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') { e.preventDefault(); void this.check(); } }}>`;
      case 'choice':
        return html`<fieldset><legend class="note">${t('exercise.pickOne')}</legend>${spec.choices!.map((choice) => html`<label>
          <input type="radio" name=${id} .value=${choice} .checked=${this.answerText() === choice} @change=${() => set(choice)}>${choice}</label>`)}</fieldset>`;
      case 'table':
        return html`<label for=${id} class="note">${t('exercise.writeQuery')}</label>
          <textarea id=${id} spellcheck="false" .value=${this.answerText()} data-testid="exercise-query"
            @input=${(e: Event) => set((e.target as HTMLTextAreaElement).value)}
            @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey || e.shiftKey)) { e.preventDefault(); e.stopPropagation(); void this.check(); } }}></textarea>`;
      case 'cell':
        return html`<p class="note">${unsafeHTML(renderMarkdown(t('exercise.writeCell', { name: spec.name })))}</p>`;
    }
  }

  private reference(display: ExerciseDisplay) {
    const { expected, spec } = display;
    const value = expected.kind === 'table'
      ? html`<table><thead><tr>${expected.columns.map((c) => html`<th>${c}</th>`)}</tr></thead><tbody>${expected.rows.slice(0, 50).map((row) => html`<tr>${expected.columns.map((c) => html`<td>${typeof row[c] === 'number' ? formatNumber(row[c] as number) : String(row[c] ?? '')}</td>`)}</tr>`)}</tbody></table>`
      : html`<b data-testid="exercise-expected">${typeof expected.value === 'number' ? formatNumber(expected.value) : String(expected.value)}</b>`;
    return html`<div class="reference" data-testid="exercise-reference">${t('exercise.reference')} ${value}
      ${spec.explain ? html`<div>${unsafeHTML(renderMarkdown(spec.explain))}</div>` : nothing}
      ${spec.check ? html`<details><summary class="note">${t('exercise.howComputed')}</summary><pre><code>${spec.check.code}</code></pre></details>` : nothing}</div>`;
  }

  override render() {
    const spec = this.spec();
    if (!spec) return html`<p class="note">${t('exercise.unreadable')}</p>`;
    const progress = this.current;
    const shownVerdict = this.verdict;
    const canCheck = this.display !== null && !this.checking;
    return html`
      <div class="question">${unsafeHTML(renderMarkdown(spec.question))}</div>
      <div class="answer">${this.answerControl(spec)}</div>
      <div class="answer">
        <button class="primary" @click=${() => this.check()} ?disabled=${!canCheck} data-testid="exercise-check">${this.checking ? t('exercise.checking') : t('exercise.check')}</button>
        ${spec.hints.length ? html`<button @click=${() => this.hint()} ?disabled=${progress.hints >= spec.hints.length} data-testid="exercise-hint">
          ${progress.hints >= spec.hints.length ? t('exercise.noMoreHints') : t('exercise.hint', { shown: progress.hints + 1, total: spec.hints.length })}</button>` : nothing}
        ${progress.revealed ? nothing : html`<button @click=${() => this.reveal()} ?disabled=${!this.display} data-testid="exercise-reveal">${t('exercise.showAnswer')}</button>`}
        ${progress.right ? html`<span class="badge right" data-testid="exercise-solved">✓ ${t('exercise.solved')}</span>` : progress.answered ? html`<span class="badge">${t('exercise.attempts', { count: progress.attempts })}</span>` : nothing}
        ${progress.revealed ? html`<span class="badge" data-testid="exercise-revealed">${t('exercise.revealed')}</span>` : nothing}
      </div>
      ${this.display ? nothing : html`<p class="note" data-testid="exercise-waiting">${this.waiting || t('exercise.computing')}</p>`}
      ${shownVerdict ? html`<div class="verdict ${shownVerdict.verdict}" role="status" data-testid="exercise-verdict" data-verdict=${shownVerdict.verdict}>
        ${shownVerdict.verdict === 'right' ? '✓' : shownVerdict.verdict === 'close' ? '≈' : '✗'} ${this.verdictMessage(shownVerdict, spec)}</div>` : nothing}
      ${progress.hints ? html`<ol class="hints" data-testid="exercise-hints">${spec.hints.slice(0, progress.hints).map((h) => html`<li>${unsafeHTML(renderMarkdown(h))}</li>`)}</ol>` : nothing}
      ${this.display && (progress.revealed) ? this.reference(this.display) : nothing}
      ${this.display && progress.right && !progress.revealed && spec.explain ? html`<div class="reference">${unsafeHTML(renderMarkdown(spec.explain))}</div>` : nothing}
    `;
  }
}

customElements.define('cb-exercise', CbExercise);

declare global {
  interface HTMLElementTagNameMap {
    'cb-exercise': CbExercise;
  }
}
