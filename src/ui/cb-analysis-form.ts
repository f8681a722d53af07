import { LitElement, css, html, nothing } from 'lit';
import { theme } from './theme.ts';
import { ANALYSIS_FORMS, firstDaysCohort, type AnalysisField } from './analysis-fields.ts';
import { cohortRulesField } from './cohort-rules-field.ts';
import { PROPERTY_MATHS, TRENDS_MATHS } from '../analytics/index.ts';

type SeriesInput = { event?: string | null; math?: string; property?: string; label?: string; [field: string]: unknown };
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * An analysis cell filled in as a form. Events are picked from the data's actual event names,
 * columns from its actual columns; every change emits the new spec (without `kind`).
 *
 * @fires change - detail: the spec object
 */
export class CbAnalysisForm extends LitElement {
  static override properties = {
    kind: { type: String },
    spec: { attribute: false },
    events: { attribute: false },
    columns: { attribute: false },
    inputs: { attribute: false },
  };

  declare kind: string;
  declare spec: Record<string, unknown>;
  declare events: string[];
  declare columns: string[];
  /** Input names a field can take its value from (written `"${name}"` in the spec). */
  declare inputs: string[];

  constructor() {
    super();
    this.kind = 'retention';
    this.spec = {};
    this.events = [];
    this.columns = [];
    this.inputs = [];
  }

  static override styles = [theme, css`
    :host { display: block; font-size: 13px; }
    form { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 10px 16px; }
    label { display: grid; gap: 3px; color: var(--cb-muted); font-size: 12px; }
    label.wide { grid-column: 1 / -1; }
    .steps { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
    .step { display: flex; gap: 4px; align-items: center; color: var(--cb-text); }
    .step b { color: var(--cb-accent); }
    .duration { display: flex; gap: 4px; }
    .duration input { width: 70px; }
    input[type=checkbox] { justify-self: start; }
    .series { display: grid; gap: 6px; }
    .series-row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; color: var(--cb-text); }
    .series-row b { color: var(--cb-accent); min-width: 1.2em; }
    .series-row input { width: 130px; }
    .series > button { justify-self: start; }
    .field { display: grid; gap: 3px; align-content: start; }
    .field.wide { grid-column: 1 / -1; }
    .field select.link { font-size: 11px; padding: 1px 2px; color: var(--cb-muted); justify-self: start; border-style: dashed; }
    .linked { display: flex; gap: 6px; align-items: center; color: var(--cb-text); }
    .linked code { font-family: var(--cb-mono); background: var(--cb-accent-soft); padding: 1px 5px; border-radius: 4px; }
    .linked button { font-size: 11px; padding: 0 6px; }
  `];

  private set(name: string, value: unknown): void {
    const spec = { ...this.spec };
    if (value === '' || value === undefined) delete spec[name];
    else spec[name] = value;
    this.spec = spec;
    this.dispatchEvent(new CustomEvent('change', { detail: spec, bubbles: true, composed: true }));
  }

  private eventSelect(value: unknown, any: boolean, onChange: (value: string | null) => void, label: string, anyLabel = 'any event') {
    return html`<select aria-label=${label} @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; onChange(v === '' ? null : v); }}>
      ${any ? html`<option value="" ?selected=${value === null || value === undefined}>${anyLabel}</option>` : nothing}
      ${value && !this.events.includes(String(value)) ? html`<option selected value=${String(value)}>${String(value)} (not in data)</option>` : nothing}
      ${this.events.map((event) => html`<option value=${event} ?selected=${value === event}>${event}</option>`)}
    </select>`;
  }

  /** A field, or the input it takes its value from, with a way to link it to one. */
  private linkable(field: AnalysisField) {
    const value = this.spec[field.name];
    const linked = typeof value === 'string' ? /^\$\{\s*([A-Za-z_$][\w$]*)\s*\}$/.exec(value)?.[1] : undefined;
    const wide = field.type === 'events' || field.type === 'cohort-rules';
    if (linked) {
      return html`<div class="field ${wide ? 'wide' : ''}"><label>${field.label}<span class="linked" data-testid="linked-field">from input <code>${linked}</code>
        <button type="button" aria-label="Stop taking ${field.label} from ${linked}" @click=${() => this.set(field.name, undefined)}>×</button></span></label></div>`;
    }
    return html`<div class="field ${wide ? 'wide' : ''}">${this.field(field)}
      ${this.inputs.length ? html`<select class="link" aria-label="Take ${field.label} from an input" @change=${(e: Event) => {
        const name = (e.target as HTMLSelectElement).value;
        if (name) this.set(field.name, `\${${name}}`);
      }}><option value="">from an input…</option>${this.inputs.map((name) => html`<option value=${name}>${name}</option>`)}</select>` : nothing}</div>`;
  }

  private field(field: AnalysisField) {
    const value = this.spec[field.name];
    switch (field.type) {
      case 'event':
        return html`<label>${field.label}${this.eventSelect(value, field.any ?? false, (v) => this.set(field.name, v), field.label, field.anyLabel)}</label>`;
      case 'series':
        return this.seriesField(field, value);
      case 'events': {
        const steps = Array.isArray(value) ? (value as unknown[]).map((s) => (typeof s === 'string' ? s : String((s as { event?: string }).event))) : [];
        return html`<label class="wide">${field.label}<div class="steps">
          ${steps.map((step, i) => html`<span class="step"><b>${i + 1}</b>
            ${this.eventSelect(step, false, (v) => this.set(field.name, steps.map((s, j) => (j === i ? v : s))), `Step ${i + 1}`)}
            <button type="button" aria-label="Remove step ${i + 1}" @click=${() => this.set(field.name, steps.filter((_, j) => j !== i))}>×</button></span>`)}
          <button type="button" @click=${() => this.set(field.name, [...steps, this.events.find((e) => !steps.includes(e)) ?? this.events[0]])}>+ step</button>
        </div></label>`;
      }
      case 'select':
        return html`<label>${field.label}<select aria-label=${field.label} @change=${(e: Event) => this.set(field.name, (e.target as HTMLSelectElement).value)}>
          ${field.options.map((option) => html`<option ?selected=${(value ?? field.options[0]) === option}>${option}</option>`)}</select></label>`;
      case 'number':
        return html`<label>${field.label}<input type="number" min=${field.min ?? 0} .value=${value === undefined ? '' : String(value)}
          @change=${(e: Event) => { const v = (e.target as HTMLInputElement).value; this.set(field.name, v === '' ? undefined : Number(v)); }}></label>`;
      case 'duration': {
        const seconds = Number(value ?? 0);
        const unit = seconds % 86400 === 0 ? 86400 : seconds % 3600 === 0 ? 3600 : 60;
        return html`<label>${field.label}<span class="duration">
          <input type="number" min="1" aria-label="${field.label} amount" .value=${String(seconds / unit)}
            @change=${(e: Event) => this.set(field.name, Number((e.target as HTMLInputElement).value) * unit)}>
          <select aria-label="${field.label} unit" @change=${(e: Event) => this.set(field.name, (seconds / unit) * Number((e.target as HTMLSelectElement).value))}>
            <option value="86400" ?selected=${unit === 86400}>days</option><option value="3600" ?selected=${unit === 3600}>hours</option><option value="60" ?selected=${unit === 60}>minutes</option>
          </select></span></label>`;
      }
      case 'column':
        return html`<label>${field.label}<select aria-label=${field.label} @change=${(e: Event) => this.set(field.name, (e.target as HTMLSelectElement).value || undefined)}>
          <option value="" ?selected=${!value}>(none)</option>
          ${this.columns.map((column) => html`<option ?selected=${value === column}>${column}</option>`)}</select></label>`;
      case 'date':
        return html`<label>${field.label}<input type="date" .value=${String(value ?? '')} @change=${(e: Event) => this.set(field.name, (e.target as HTMLInputElement).value || undefined)}></label>`;
      case 'text':
        return html`<label>${field.label}<input type="text" aria-label=${field.label} placeholder=${field.placeholder ?? ''} .value=${String(value ?? '')} @change=${(e: Event) => this.set(field.name, (e.target as HTMLInputElement).value.trim() || undefined)}></label>`;
      case 'cohort-rules':
        return cohortRulesField(field.label, Array.isArray(value) ? value as Record<string, unknown>[] : [], this.events, this.columns, (rules) => this.set(field.name, rules));
      case 'first-days': {
        const current = Array.isArray(value) && value.length === 1 ? value[0] as { rules?: { did?: string; within_days_of_first_seen?: number }[] } : undefined;
        const rule = current?.rules?.length === 1 ? current.rules[0] : undefined;
        const days = rule?.within_days_of_first_seen ?? 7;
        const pick = (event: string, n: number) => this.set(field.name, event ? [firstDaysCohort(event, n)] : undefined);
        return html`<label>${field.label}<span class="duration">
          <select aria-label="Break down by what people did in their first days" @change=${(e: Event) => pick((e.target as HTMLSelectElement).value, days)}>
            <option value="" ?selected=${!rule?.did}>(none)</option>
            ${this.events.map((event) => html`<option value=${event} ?selected=${rule?.did === event}>did ${event}</option>`)}
          </select>
          <input type="number" min="1" aria-label="In the first days" title="in the first … days" .value=${String(days)} ?disabled=${!rule?.did}
            @change=${(e: Event) => pick(rule?.did ?? '', Math.max(1, Number((e.target as HTMLInputElement).value) || 7))}> days
        </span></label>`;
      }
      case 'boolean':
        return html`<label>${field.label}<input type="checkbox" .checked=${value === true} @change=${(e: Event) => this.set(field.name, (e.target as HTMLInputElement).checked || undefined)}></label>`;
    }
  }

  /** A trends spec's series: per letter an event, a math, the property a property math needs, a label. */
  private seriesField(field: AnalysisField, value: unknown) {
    const series = (Array.isArray(value) ? value : []) as SeriesInput[];
    const update = (i: number, change: Partial<SeriesInput>) => {
      const next = series.map((s, j) => {
        if (j !== i) return s;
        const merged: SeriesInput = { ...s, ...change };
        if (!PROPERTY_MATHS.includes((merged.math ?? 'total') as never)) delete merged.property;
        else if (!merged.property) merged.property = this.columns.includes('revenue') ? 'revenue' : this.columns[0];
        for (const key of Object.keys(merged)) if (merged[key] === undefined || merged[key] === '') delete merged[key];
        return merged;
      });
      this.set(field.name, next);
    };
    return html`<label class="wide">${field.label}<div class="series">
      ${series.map((s, i) => {
        const letter = LETTERS[i];
        const math = s.math ?? 'total';
        return html`<span class="series-row"><b>${letter}</b>
          ${this.eventSelect(s.event ?? null, true, (v) => update(i, { event: v }), `Series ${letter} event`)}
          <select aria-label="Series ${letter} math" @change=${(e: Event) => update(i, { math: (e.target as HTMLSelectElement).value })}>
            ${TRENDS_MATHS.map((m) => html`<option ?selected=${m === math}>${m}</option>`)}</select>
          ${PROPERTY_MATHS.includes(math as never) ? html`<select aria-label="Series ${letter} property" @change=${(e: Event) => update(i, { property: (e.target as HTMLSelectElement).value })}>
            ${this.columns.map((c) => html`<option ?selected=${c === s.property}>${c}</option>`)}</select>` : nothing}
          <input type="text" aria-label="Series ${letter} label" placeholder="label" .value=${s.label ?? ''}
            @change=${(e: Event) => update(i, { label: (e.target as HTMLInputElement).value.trim() || undefined })}>
          ${series.length > 1 ? html`<button type="button" aria-label="Remove series ${letter}" @click=${() => this.set(field.name, series.filter((_, j) => j !== i))}>×</button>` : nothing}
        </span>`;
      })}
      ${series.length < 26 ? html`<button type="button" @click=${() => this.set(field.name, [...series, { event: this.events[0] ?? null, math: 'total' }])}>+ series</button>` : nothing}
    </div></label>`;
  }

  override render() {
    const form = ANALYSIS_FORMS[this.kind];
    if (!form) return html`<p class="muted">No form for “${this.kind}”: edit it as code.</p>`;
    return html`<form @submit=${(e: Event) => e.preventDefault()}>${form.fields.map((field) => this.linkable(field))}</form>`;
  }
}

customElements.define('cb-analysis-form', CbAnalysisForm);

declare global {
  interface HTMLElementTagNameMap {
    'cb-analysis-form': CbAnalysisForm;
  }
}
