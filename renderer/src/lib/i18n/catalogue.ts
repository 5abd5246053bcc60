/** Catalogue lookup, interpolation and locale choice — plain functions, no runes. */
import { en, type Messages } from './en';
import { ja } from './ja';

export type Locale = 'en' | 'ja';
export type LocalePreference = Locale | 'system';

export const catalogues: Record<Locale, Messages> = { en, ja };

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Leaves<Messages>;

export function systemLocale(
  languages: readonly string[] = globalThis.navigator?.languages ?? [],
): Locale {
  return languages.some((l) => l.toLowerCase().startsWith('ja')) ? 'ja' : 'en';
}

export function resolveLocale(preference: LocalePreference): Locale {
  return preference === 'system' ? systemLocale() : preference;
}

export function lookup(catalogue: Messages, key: string): string | undefined {
  let node: unknown = catalogue;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function interpolate(
  template: string,
  params: Record<string, string | number> = {},
): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    name in params ? String(params[name]) : match,
  );
}
