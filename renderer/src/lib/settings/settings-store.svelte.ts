/**
 * The app's settings as loaded from the API, shared by the shell (theme, language) and the
 * Settings page. Saving goes through `settings.update` (validated on the server) and applies the
 * appearance at once — no restart.
 */
import {
  api,
  apiErrorOf,
  type ApiErrorData,
  type ApiInputs,
  type ApiOutputs,
  type ApiSettings,
} from '../api/client';
import { appearance } from '../shell/appearance.svelte';

export type SettingsPatch = ApiInputs['settings']['update'];
/** Image settings the core's environment overrides (GUILDHALL_*_IMAGE), with the image in force. */
export type ImageOverrides = ApiOutputs['settings']['get']['imageOverrides'];
const NO_OVERRIDES: ImageOverrides = { redis: null, workerBase: null };

class SettingsStore {
  settings = $state.raw<ApiSettings | null>(null);
  warnings = $state.raw<string[]>([]);
  imageOverrides = $state.raw<ImageOverrides>(NO_OVERRIDES);
  error = $state.raw<ApiErrorData | null>(null);

  async load(): Promise<void> {
    try {
      const { settings, warnings, imageOverrides } = await api.settings.get();
      this.accept(settings);
      this.warnings = warnings;
      this.imageOverrides = imageOverrides;
      this.error = null;
    } catch (err) {
      this.error = apiErrorOf(err);
    }
  }

  /** Saves a change; throws the API's error (with `fields` for invalid values). */
  async save(patch: SettingsPatch): Promise<ApiSettings> {
    const saved = await api.settings.update(patch);
    this.accept(saved);
    return saved;
  }

  private accept(settings: ApiSettings): void {
    this.settings = settings;
    appearance.applyTheme(settings.app.theme);
    appearance.applyLanguage(settings.app.language);
  }
}

export const settingsStore = new SettingsStore();
