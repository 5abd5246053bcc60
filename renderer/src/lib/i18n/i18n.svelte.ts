/**
 * The one way UI text reaches the screen: `t('nav.dashboard')`, plus locale-aware number, byte,
 * duration and date formatting. The locale follows the OS until the user picks one; switching
 * re-renders every string at once, no restart.
 */
import type { ApiErrorCode } from '../api/client';
import { en } from './en';
import {
  catalogues,
  interpolate,
  lookup,
  resolveLocale,
  systemLocale,
  type Locale,
  type LocalePreference,
  type MessageKey,
} from './catalogue';

export type { Locale, LocalePreference, MessageKey };

class I18n {
  locale = $state<Locale>(systemLocale());

  setPreference(preference: LocalePreference): void {
    this.locale = resolveLocale(preference);
    if (globalThis.document) document.documentElement.lang = this.locale;
  }
}

export const i18n = new I18n();

/** Translates a key in the current locale, falling back to English. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = lookup(catalogues[i18n.locale], key) ?? lookup(en, key) ?? key;
  return interpolate(text, params);
}

/**
 * A headline for an API error in the current language by its code; null in English, where the
 * core's own message (English, with the exact names, ports and paths) says it all.
 */
export function errorHeadline(code: ApiErrorCode): string | null {
  return i18n.locale === 'en' ? null : t(`errors.${code}`);
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(i18n.locale, options).format(value);
}

export function formatPercent(value: number, digits = 0): string {
  return new Intl.NumberFormat(i18n.locale, {
    style: 'percent',
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(value / 100);
}

export function formatBytes(bytes: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return new Intl.NumberFormat(i18n.locale, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 && unit > 0 ? 1 : 0,
  }).format(value);
}

export function formatDuration(ms: number): string {
  if (ms < 1000)
    return new Intl.NumberFormat(i18n.locale, {
      style: 'unit',
      unit: 'millisecond',
      maximumFractionDigits: 0,
    }).format(ms);
  const seconds = ms / 1000;
  if (seconds < 60)
    return new Intl.NumberFormat(i18n.locale, {
      style: 'unit',
      unit: 'second',
      maximumFractionDigits: 1,
    }).format(seconds);
  const minutes = seconds / 60;
  if (minutes < 60)
    return new Intl.NumberFormat(i18n.locale, {
      style: 'unit',
      unit: 'minute',
      maximumFractionDigits: 1,
    }).format(minutes);
  return new Intl.NumberFormat(i18n.locale, {
    style: 'unit',
    unit: 'hour',
    maximumFractionDigits: 1,
  }).format(minutes / 60);
}

export function formatDateTime(timestamp: number | Date): string {
  return new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(
    timestamp,
  );
}

export function formatRelative(timestamp: number, now = Date.now()): string {
  const seconds = Math.round((timestamp - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(i18n.locale, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}
