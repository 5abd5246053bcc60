/**
 * Applies the theme and language preferences to the document: a chosen theme sets data-theme
 * on <html> (tokens.css switches the variables), 'system' removes it and follows the OS. Charts
 * read `appearance.version` to repaint when the effective colours change.
 */
import { i18n, type LocalePreference } from '../i18n/i18n.svelte';

export type ThemePreference = 'system' | 'light' | 'dark';

class Appearance {
  theme = $state<ThemePreference>('system');
  /** Whether the dark palette is in effect right now. */
  dark = $state(false);
  /** Bumped whenever the effective palette may have changed. */
  version = $state(0);
  private media: MediaQueryList | null = null;

  constructor() {
    this.media = globalThis.matchMedia?.('(prefers-color-scheme: dark)') ?? null;
    this.media?.addEventListener?.('change', () => this.refresh());
    this.refresh();
  }

  applyTheme(theme: ThemePreference): void {
    this.theme = theme;
    const root = globalThis.document?.documentElement;
    if (root) {
      if (theme === 'system') delete root.dataset.theme;
      else root.dataset.theme = theme;
    }
    this.refresh();
  }

  applyLanguage(language: LocalePreference): void {
    i18n.setPreference(language);
  }

  private refresh(): void {
    this.dark = this.theme === 'system' ? (this.media?.matches ?? false) : this.theme === 'dark';
    this.version++;
  }
}

export const appearance = new Appearance();
