import { afterEach, describe, expect, test } from 'vitest';
import en from '../../src/ui/locales/en.json';
import ru from '../../src/ui/locales/ru.json';
import { formatCount, formatDuration, formatPercent, formatPoints, readableCell, setNumberLocale } from '../../src/plots/index.ts';
import { formatNumber, language, preferredLanguage, setLanguage, t } from '../../src/ui/i18n.ts';
import { formatValue } from '../../src/ui/format-value.ts';

/** Every message key of a catalogue, plural forms folded into their key (`attempts_one` → `attempts`). */
function keys(catalogue: Record<string, unknown>, prefix = ''): string[] {
  return [...new Set(Object.entries(catalogue).flatMap(([key, value]) => (value && typeof value === 'object'
    ? keys(value as Record<string, unknown>, `${prefix}${key}.`)
    : [`${prefix}${key.replace(/_(zero|one|two|few|many|other)$/, '')}`])))].sort();
}

afterEach(async () => {
  await setLanguage('en');
});

describe('the message catalogues', () => {
  test('Russian has every message English has, and no other', () => {
    expect(keys(ru)).toEqual(keys(en));
  });

  test('Russian plurals have the forms Intl.PluralRules asks for (one, few, many)', () => {
    const plural = (catalogue: Record<string, unknown>, path: string) => Object.keys(path.split('.').reduce((o, k) => (o as Record<string, unknown>)[k], catalogue as unknown) as object);
    for (const group of ['progress', 'exercise']) {
      const forms = plural(ru, group).filter((k) => /_(one|few|many|other)$/.test(k));
      for (const base of new Set(forms.map((k) => k.replace(/_\w+$/, '')))) {
        expect(forms, base).toEqual(expect.arrayContaining([`${base}_one`, `${base}_few`, `${base}_many`]));
      }
    }
  });

  test('a message, its values and its plural in each language', async () => {
    expect(t('exercise.hint', { shown: 1, total: 3 })).toBe('Hint (1 of 3)');
    expect(t('exercise.attempts', { count: 1 })).toBe('1 attempt');
    expect(t('exercise.attempts', { count: 5 })).toBe('5 attempts');
    await setLanguage('ru');
    expect(language()).toBe('ru');
    expect(t('exercise.hint', { shown: 1, total: 3 })).toBe('Подсказка (1 из 3)');
    expect([1, 3, 5, 21, 22, 25].map((count) => t('exercise.attempts', { count }))).toEqual([
      '1 попытка', '3 попытки', '5 попыток', '21 попытка', '22 попытки', '25 попыток',
    ]);
  });

  test('the language follows the browser until one is picked', () => {
    expect(preferredLanguage(null, ['ru-RU', 'en'])).toBe('ru');
    expect(preferredLanguage(null, ['de-DE', 'en-GB'])).toBe('en');
    expect(preferredLanguage(null, ['fr'])).toBe('en');
    expect(preferredLanguage('en', ['ru'])).toBe('en');
    expect(preferredLanguage('xx', ['ru'])).toBe('ru');
  });
});

describe('numbers per locale', () => {
  test('Russian: 57,7 %, 1 234 567, 1 д 23 ч, +0,5 п. п.; English as before', async () => {
    await setLanguage('ru');
    expect(formatPercent(0.5773)).toBe('57,7 %');
    expect(formatPercent(0.00123)).toBe('0,12 %');
    expect(formatCount(1234567)).toBe('1\u00a0234\u00a0567');
    expect(formatDuration(169160.5)).toBe('1 д 23 ч');
    expect(formatDuration(4.25)).toBe('4,3 с');
    expect(formatPoints(0.0046)).toBe('+0,5 п. п.');
    expect(readableCell(0.577, 'rate')).toBe('57,7 %');
    expect(formatValue(1234.5, 'DOUBLE')).toBe('1\u00a0234,5');
    expect(formatNumber(1200)).toBe('1\u00a0200');
    await setLanguage('en');
    expect(formatPercent(0.5773)).toBe('57.7 %');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatDuration(169160.5)).toBe('1 d 23 h');
    expect(formatPoints(0.0046)).toBe('+0.5 pts');
    setNumberLocale('en-US');
  });
});
