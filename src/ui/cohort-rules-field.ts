import { html, nothing, type TemplateResult } from 'lit';
import { FILTER_OPS } from '../analytics/where.ts';

type Rule = Record<string, unknown>;
const TYPES = [
  ['did', 'did'], ['did_not', 'did not do'], ['property', 'has property'], ['in_cohort', 'is in cohort'], ['not_in_cohort', 'is not in cohort'],
] as const;

function ruleType(rule: Rule): string {
  return TYPES.find(([key]) => key in rule)?.[0] ?? 'did';
}

/** A new rule of a type, filled with the data's first event or column. */
function freshRule(type: string, events: string[], columns: string[]): Rule {
  if (type === 'did') return { did: events[0] ?? '', at_least: 1, within_days_of_first_seen: 7 };
  if (type === 'did_not') return { did_not: events[0] ?? '', within_days_of_first_seen: 7 };
  if (type === 'property') return { property: columns.find((c) => !['user_id', 'event', 'ts'].includes(c)) ?? columns[0] ?? '', op: '=', value: '', of: 'first_event' };
  return { [type]: '' };
}

/**
 * The rules of a cohort cell's form: one row per rule (its kind, then its event or column, count
 * and window), a button to add one and one to remove each. Every change hands back the new list.
 */
export function cohortRulesField(label: string, rules: Rule[], events: string[], columns: string[], change: (rules: Rule[]) => void): TemplateResult {
  const update = (i: number, rule: Rule) => change(rules.map((r, j) => (j === i ? rule : r)));
  const without = (rule: Rule, ...keys: string[]) => Object.fromEntries(Object.entries(rule).filter(([k]) => !keys.includes(k)));
  const row = (rule: Rule, i: number) => {
    const type = ruleType(rule);
    const n = i + 1;
    const eventSelect = (key: string) => html`<select aria-label="Rule ${n} event" @change=${(e: Event) => update(i, { ...rule, [key]: (e.target as HTMLSelectElement).value })}>
      ${rule[key] && !events.includes(String(rule[key])) ? html`<option selected>${String(rule[key])}</option>` : nothing}
      ${events.map((event) => html`<option ?selected=${rule[key] === event}>${event}</option>`)}</select>`;
    const windowKind = rule.within_days_of_first_seen !== undefined ? 'first' : rule.date_from !== undefined || rule.date_to !== undefined ? 'dates' : 'ever';
    const window = html`<select aria-label="Rule ${n} window" @change=${(e: Event) => {
      const v = (e.target as HTMLSelectElement).value;
      const base = without(rule, 'within_days_of_first_seen', 'date_from', 'date_to');
      update(i, v === 'first' ? { ...base, within_days_of_first_seen: 7 } : v === 'dates' ? { ...base, date_from: new Date().toISOString().slice(0, 10) } : base);
    }}><option value="first" ?selected=${windowKind === 'first'}>in the first … days</option><option value="dates" ?selected=${windowKind === 'dates'}>between dates</option>
      <option value="ever" ?selected=${windowKind === 'ever'}>ever</option></select>
      ${windowKind === 'first' ? html`<input type="number" min="1" aria-label="Rule ${n} days" .value=${String(rule.within_days_of_first_seen)}
        @change=${(e: Event) => update(i, { ...rule, within_days_of_first_seen: Number((e.target as HTMLInputElement).value) || 1 })}>` : nothing}
      ${windowKind === 'dates' ? html`<input type="date" aria-label="Rule ${n} from" .value=${String(rule.date_from ?? '')}
        @change=${(e: Event) => update(i, { ...without(rule, 'date_from'), ...((e.target as HTMLInputElement).value ? { date_from: (e.target as HTMLInputElement).value } : {}) })}>
        <input type="date" aria-label="Rule ${n} to" .value=${String(rule.date_to ?? '')}
        @change=${(e: Event) => update(i, { ...without(rule, 'date_to'), ...((e.target as HTMLInputElement).value ? { date_to: (e.target as HTMLInputElement).value } : {}) })}>` : nothing}`;
    let body: TemplateResult;
    if (type === 'did') {
      body = html`${eventSelect('did')} at least <input type="number" min="0" aria-label="Rule ${n} at least" .value=${String(rule.at_least ?? 1)}
        @change=${(e: Event) => update(i, { ...rule, at_least: Number((e.target as HTMLInputElement).value) || 0 })}> times ${window}`;
    } else if (type === 'did_not') {
      body = html`${eventSelect('did_not')} ${window}`;
    } else if (type === 'property') {
      body = html`<select aria-label="Rule ${n} column" @change=${(e: Event) => update(i, { ...rule, property: (e.target as HTMLSelectElement).value })}>
          ${columns.map((c) => html`<option ?selected=${rule.property === c}>${c}</option>`)}</select>
        <select aria-label="Rule ${n} operator" @change=${(e: Event) => update(i, { ...rule, op: (e.target as HTMLSelectElement).value })}>
          ${FILTER_OPS.map((op) => html`<option ?selected=${rule.op === op}>${op}</option>`)}</select>
        <input type="text" aria-label="Rule ${n} value" .value=${String(rule.value ?? '')}
          @change=${(e: Event) => { const v = (e.target as HTMLInputElement).value; update(i, { ...rule, value: v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v }); }}>
        <select aria-label="Rule ${n} of which event" @change=${(e: Event) => update(i, { ...rule, of: (e.target as HTMLSelectElement).value })}>
          ${['first_event', 'last_event', 'any_event'].map((of) => html`<option value=${of} ?selected=${(rule.of ?? 'first_event') === of}>on their ${of.replace('_', ' ')}</option>`)}</select>`;
    } else {
      body = html`<input type="text" aria-label="Rule ${n} cohort name" placeholder="cohort name" .value=${String(rule[type] ?? '')}
        @change=${(e: Event) => update(i, { [type]: (e.target as HTMLInputElement).value.trim() })}>`;
    }
    return html`<span class="step" data-testid="cohort-rule"><b>${n}</b>
      <select aria-label="Rule ${n} kind" @change=${(e: Event) => update(i, freshRule((e.target as HTMLSelectElement).value, events, columns))}>
        ${TYPES.map(([key, text]) => html`<option value=${key} ?selected=${type === key}>${text}</option>`)}</select>
      ${body}
      <button type="button" aria-label="Remove rule ${n}" @click=${() => change(rules.filter((_, j) => j !== i))}>×</button></span>`;
  };
  return html`<label class="wide">${label}<div class="steps">${rules.map(row)}
    <button type="button" @click=${() => change([...rules, freshRule('did', events, columns)])}>+ rule</button></div></label>`;
}
