import { LitElement, css, html, nothing, unsafeCSS } from 'lit';
import * as Inputs from '@observablehq/inputs';
import inputsCss from '@observablehq/inputs/dist/index.css?inline';
import type { DateRange, InputDisplay } from '../notebook/index.ts';
import { theme } from './theme.ts';
import { t } from './i18n.ts';

type Form = HTMLElement & { value: unknown };

/** Kinds whose every keystroke would re-run the readers: they wait for a pause. */
const TYPED = new Set(['text', 'number']);

/**
 * An input cell's control, made with Observable Inputs (select, multi-select, slider, number,
 * text, toggle; a date range is two of its date inputs). Its value comes from the runtime's
 * display of the cell; every change is emitted (typing after a pause of 400 ms, dragging after
 * 150 ms), and the cell writes it to its YAML and re-runs what reads it.
 *
 * @fires input-change - detail: the new value (a date range as `{from, to}` Dates)
 */
export class CbInputControl extends LitElement {
  static override properties = {
    display: { attribute: false },
    name: { type: String },
  };

  declare display: InputDisplay | null;
  declare name: string;

  private form: Form | null = null;
  private made = '';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.display = null;
    this.name = 'input';
  }

  static override styles = [theme, unsafeCSS(inputsCss), css`
    :host { display: block; font-size: 13px; --label-width: 140px; --input-width: 320px; }
    form { margin: 4px 0 !important; }
    form label { color: var(--cb-muted); }
    input, select { accent-color: var(--cb-accent); }
    select[multiple] { min-height: 5.5em; }
    .range { display: flex; gap: 16px; flex-wrap: wrap; }
    .waiting { color: var(--cb-muted); font-size: 12px; }
  `];

  override willUpdate(): void {
    const display = this.display;
    if (!display) return;
    // a new control only when what it offers changed: a new value alone keeps the person's focus and caret
    const key = JSON.stringify([display.spec.type, display.spec.label, display.spec.min, display.spec.max, display.spec.step, display.options, display.bounds]);
    if (key === this.made && this.form) {
      const focused = this.form.contains(this.shadowRoot?.activeElement ?? null);
      if (!focused && JSON.stringify(this.form.value) !== JSON.stringify(display.value)) this.form.value = display.value;
      return;
    }
    this.made = key;
    this.form = this.make(display);
    this.form.addEventListener('input', () => this.changed());
  }

  private make(display: InputDisplay): Form {
    const { spec, options, value } = display;
    const label = spec.label ?? this.name;
    switch (spec.type) {
      case 'select':
        return Inputs.select(options, { label, value });
      case 'multi-select':
        return Inputs.select(options, { label, value, multiple: Math.min(8, Math.max(3, options.length)) });
      case 'slider': {
        const form = Inputs.range([spec.min!, spec.max!], { label, value, step: spec.step });
        // Observable's slider has one label, for its number box: the slider needs a name of its own
        form.querySelector('input[type=range]')?.setAttribute('aria-label', label);
        return form;
      }
      case 'number':
        return Inputs.number(spec.min !== undefined && spec.max !== undefined ? [spec.min, spec.max] : undefined, { label, value, step: spec.step, placeholder: spec.placeholder });
      case 'text':
        return Inputs.text({ label, value, placeholder: spec.placeholder });
      case 'toggle':
        return Inputs.toggle({ label, value });
      case 'date-range': {
        const range = value as DateRange | null;
        const bounds = display.bounds;
        const from = Inputs.date({ label: t('input.from', { label }), value: range?.from, min: bounds?.from, max: bounds?.to });
        const to = Inputs.date({ label: t('input.to'), value: range?.to, min: bounds?.from, max: bounds?.to });
        const wrapper = document.createElement('div') as unknown as Form;
        wrapper.className = 'range';
        wrapper.append(from, to);
        Object.defineProperty(wrapper, 'value', {
          get: () => ({ from: from.value, to: to.value }),
          set: (next: DateRange | null) => { if (next) { from.value = next.from; to.value = next.to; } },
        });
        return wrapper;
      }
    }
  }

  private changed(): void {
    const form = this.form;
    if (!form) return;
    clearTimeout(this.timer);
    const delay = TYPED.has(this.display?.spec.type ?? '') ? 400 : this.display?.spec.type === 'slider' ? 150 : 0;
    this.timer = setTimeout(() => {
      const value = form.value;
      if (this.display?.spec.type === 'date-range') {
        const range = value as { from: Date | null; to: Date | null };
        if (!range.from || !range.to) return;
      }
      this.dispatchEvent(new CustomEvent('input-change', { detail: value, bubbles: true, composed: true }));
    }, delay);
  }

  override render() {
    if (!this.display) return html`<span class="waiting">${t('input.reading')}</span>`;
    return this.form ?? nothing;
  }
}

customElements.define('cb-input-control', CbInputControl);

declare global {
  interface HTMLElementTagNameMap {
    'cb-input-control': CbInputControl;
  }
}
