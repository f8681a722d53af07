import i18next from 'i18next';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { setNumberLocale } from '../plots/index.ts';
import en from './locales/en.json';
import ru from './locales/ru.json';

/*
 * The interface's language. One message catalogue per language (locales/en.json, locales/ru.json),
 * read by i18next: interpolation ({{name}}), plurals by Intl.PluralRules (Russian's one/few/many:
 * `key_one`, `key_few`, `key_many`), English as the fallback for a missing key. Numbers and dates
 * are formatted by Intl in the same locale (57,7 % in Russian). The language follows the browser
 * (navigator.languages) until the person picks one, which is kept in localStorage.
 */

/** The languages the interface speaks, with their names in themselves. */
export const LANGUAGES = { en: 'English', ru: 'Русский' } as const;
export type Language = keyof typeof LANGUAGES;

const STORED = 'cohortbook-language';

/** The language to start in: the one picked before, else the browser's first that we speak, else English. */
export function preferredLanguage(stored: string | null = safeStorage()?.getItem(STORED) ?? null, browser: readonly string[] = globalThis.navigator?.languages ?? []): Language {
  if (stored && stored in LANGUAGES) return stored as Language;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (base in LANGUAGES) return base as Language;
  }
  return 'en';
}

function safeStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

const i18n = i18next.createInstance();
void i18n.init({
  lng: preferredLanguage(),
  fallbackLng: 'en',
  resources: { en: { translation: en }, ru: { translation: ru } },
  interpolation: { escapeValue: false }, // Lit escapes what it renders
  initAsync: false,
  returnNull: false,
});

/** The locale of numbers and dates for a language. */
const NUMBER_LOCALES: Record<Language, string> = { en: 'en-US', ru: 'ru-RU' };
setNumberLocale(NUMBER_LOCALES[language()]);
if (globalThis.document) document.documentElement.lang = language();

/** The current language. */
export function language(): Language {
  return (i18n.language in LANGUAGES ? i18n.language : 'en') as Language;
}

/**
 * A message of the catalogue in the current language; `count` picks the plural form.
 *
 * @example
 * t('exercise.hint', { shown: 1, total: 3 }); // 'Hint (1 of 3)' · 'Подсказка (1 из 3)'
 */
export function t(key: string, options: Record<string, unknown> = {}): string {
  return (i18n.t as (key: string, options: object) => string)(key, options);
}

/** Switches the interface's language (and keeps the choice); every localized component re-renders. */
export async function setLanguage(next: Language): Promise<void> {
  safeStorage()?.setItem(STORED, next);
  setNumberLocale(NUMBER_LOCALES[next]);
  await i18n.changeLanguage(next);
  if (globalThis.document) document.documentElement.lang = next;
}

/** A number in the current locale: `1,234.5` · `1 234,5`. */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = { maximumFractionDigits: 6 }): string {
  return new Intl.NumberFormat(NUMBER_LOCALES[language()], options).format(value);
}

/** A moment as a date and time in the current locale. */
export function formatDateTime(value: Date | number): string {
  return new Intl.DateTimeFormat(NUMBER_LOCALES[language()], { dateStyle: 'medium', timeStyle: 'short' }).format(value);
}

/**
 * Re-renders a Lit component when the language changes: `private readonly i18n = new Localized(this)`.
 */
export class Localized implements ReactiveController {
  private readonly onChange = () => this.host.requestUpdate();
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  hostConnected(): void {
    i18n.on('languageChanged', this.onChange);
  }
  hostDisconnected(): void {
    i18n.off('languageChanged', this.onChange);
  }
}
