import { html, nothing, type TemplateResult } from 'lit';
import { FILTER_OPS } from '../analytics/where.ts';
import { t } from './i18n.ts';

type Rule = Record<string, unknown>;
/** The kinds of rule; the text is `rules.kind.KEY` in the catalogue. */
const TYPES = [['did'], ['did_not'], ['property'], ['in_cohort'], ['not_in_cohort']] as const;

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
    const eventSelect = (key: string) => html`<select aria-label=${t('rules.event', { n })} @change=${(e: Event) => update(i, { ...rule, [key]: (e.target as HTMLSelectElement).value })}>
      ${rule[key] && !events.includes(String(rule[key])) ? html`<option selected>${String(rule[key])}</option>` : nothing}
      ${events.map((event) => html`<option ?selected=${rule[key] === event}>${event}</option>`)}</select>`;
    const windowKind = rule.within_days_of_first_seen !== undefined ? 'first' : rule.date_from !== undefined || rule.date_to !== undefined ? 'dates' : 'ever';
    const window = html`<select aria-label=${t('rules.window', { n })} @change=${(e: Event) => {
      const v = (e.target as HTMLSelectElement).value;
      const base = without(rule, 'within_days_of_first_seen', 'date_from', 'date_to');
      update(i, v === 'first' ? { ...base, within_days_of_first_seen: 7 } : v === 'dates' ? { ...base, date_from: new Date().toISOString().slice(0, 10) } : base);
    }}><option value="first" ?selected=${windowKind === 'first'}>${t('rules.inFirstDays')}</option><option value="dates" ?selected=${windowKind === 'dates'}>${t('rules.betweenDates')}</option>
      <option value="ever" ?selected=${windowKind === 'ever'}>${t('rules.ever')}</option></select>
      ${windowKind === 'first' ? html`<input type="number" min="1" aria-label=${t('rules.days', { n })} .value=${String(rule.within_days_of_first_seen)}
        @change=${(e: Event) => update(i, { ...rule, within_days_of_first_seen: Number((e.target as HTMLInputElement).value) || 1 })}>` : nothing}
      ${windowKind === 'dates' ? html`<input type="date" aria-label=${t('rules.from', { n })} .value=${String(rule.date_from ?? '')}
        @change=${(e: Event) => update(i, { ...without(rule, 'date_from'), ...((e.target as HTMLInputElement).value ? { date_from: (e.target as HTMLInputElement).value } : {}) })}>
        <input type="date" aria-label=${t('rules.to', { n })} .value=${String(rule.date_to ?? '')}
        @change=${(e: Event) => update(i, { ...without(rule, 'date_to'), ...((e.target as HTMLInputElement).value ? { date_to: (e.target as HTMLInputElement).value } : {}) })}>` : nothing}`;
    let body: TemplateResult;
    if (type === 'did') {
      body = html`${eventSelect('did')} ${t('rules.atLeastText')} <input type="number" min="0" aria-label=${t('rules.atLeast', { n })} .value=${String(rule.at_least ?? 1)}
        @change=${(e: Event) => update(i, { ...rule, at_least: Number((e.target as HTMLInputElement).value) || 0 })}> ${t('rules.times', { count: Number(rule.at_least ?? 1) })} ${window}`;
    } else if (type === 'did_not') {
      body = html`${eventSelect('did_not')} ${window}`;
    } else if (type === 'property') {
      body = html`<select aria-label=${t('rules.column', { n })} @change=${(e: Event) => update(i, { ...rule, property: (e.target as HTMLSelectElement).value })}>
          ${columns.map((c) => html`<option ?selected=${rule.property === c}>${c}</option>`)}</select>
        <select aria-label=${t('rules.operator', { n })} @change=${(e: Event) => update(i, { ...rule, op: (e.target as HTMLSelectElement).value })}>
          ${FILTER_OPS.map((op) => html`<option value=${op} ?selected=${rule.op === op}>${t(`rules.op.${op}`, { defaultValue: op })}</option>`)}</select>
        <input type="text" aria-label=${t('rules.value', { n })} .value=${String(rule.value ?? '')}
          @change=${(e: Event) => { const v = (e.target as HTMLInputElement).value; update(i, { ...rule, value: v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v }); }}>
        <select aria-label=${t('rules.ofWhich', { n })} @change=${(e: Event) => update(i, { ...rule, of: (e.target as HTMLSelectElement).value })}>
          ${['first_event', 'last_event', 'any_event'].map((of) => html`<option value=${of} ?selected=${(rule.of ?? 'first_event') === of}>${t(`rules.of.${of}`)}</option>`)}</select>`;
    } else {
      body = html`<input type="text" aria-label=${t('rules.cohortName', { n })} placeholder=${t('rules.cohortPlaceholder')} .value=${String(rule[type] ?? '')}
        @change=${(e: Event) => update(i, { [type]: (e.target as HTMLInputElement).value.trim() })}>`;
    }
    return html`<span class="step" data-testid="cohort-rule"><b>${n}</b>
      <select aria-label=${t('rules.kind', { n })} @change=${(e: Event) => update(i, freshRule((e.target as HTMLSelectElement).value, events, columns))}>
        ${TYPES.map(([key]) => html`<option value=${key} ?selected=${type === key}>${t(`rules.kinds.${key}`)}</option>`)}</select>
      ${body}
      <button type="button" aria-label=${t('rules.remove', { n })} @click=${() => change(rules.filter((_, j) => j !== i))}>×</button></span>`;
  };
  return html`<label class="wide">${label}<div class="steps">${rules.map(row)}
    <button type="button" @click=${() => change([...rules, freshRule('did', events, columns)])}>${t('rules.add')}</button></div></label>`;
}
