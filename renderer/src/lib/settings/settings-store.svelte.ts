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
import { isOutsideHome } from '@shared/schemas/settings';
import { t } from '../i18n/i18n.svelte';
import { appearance } from '../shell/appearance.svelte';

export type SettingsPatch = ApiInputs['settings']['update'];
/** Image settings the core's environment overrides (GUILDHALL_*_IMAGE), with the image in force. */
export type ImageOverrides = ApiOutputs['settings']['get']['imageOverrides'];
const NO_OVERRIDES: ImageOverrides = { redis: null, workerBase: null };

class SettingsStore {
  settings = $state.raw<ApiSettings | null>(null);
  warnings = $state.raw<string[]>([]);
  /** The user's home folder (a processors folder outside it needs a confirmation). */
  homeFolder = $state.raw<string | null>(null);
  imageOverrides = $state.raw<ImageOverrides>(NO_OVERRIDES);
  error = $state.raw<ApiErrorData | null>(null);

  async load(): Promise<void> {
    try {
      const { settings, warnings, homeFolder, imageOverrides } = await api.settings.get();
      this.accept(settings);
      this.warnings = warnings;
      this.homeFolder = homeFolder;
      this.imageOverrides = imageOverrides;
      this.error = null;
    } catch (err) {
      this.error = apiErrorOf(err);
    }
  }

  /**
   * A processors folder outside the home folder is mounted into every worker, where shell jobs
   * read it: the user confirms first. True when the change may be saved.
   */
  confirmProcessorsFolder(patch: SettingsPatch): boolean {
    const folder = patch.cluster?.workers?.processorsDir;
    const home = this.homeFolder;
    if (!folder || !home || !isOutsideHome(folder, home)) return true;
    return window.confirm(t('settings.confirmOutsideHome', { folder, home }));
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
