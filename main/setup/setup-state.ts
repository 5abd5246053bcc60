/**
 * Whether the console should open the setup wizard: setup never completed and no cluster exists
 * yet. A cluster made by `guildhall up` counts as set up, so CLI users are not sent through it.
 */
import type { Core } from '../core';

export interface SetupState {
  setupCompleted: boolean;
  /** The configured cluster has containers; null when the engine could not be asked. */
  clusterExists: boolean | null;
  /** Open the wizard (first launch). */
  shouldRunSetup: boolean;
}

async function clusterExists(core: Core): Promise<boolean | null> {
  try {
    return await (await core.cluster.containers()).exist();
  } catch {
    return null;
  }
}

export async function setupState(core: Core): Promise<SetupState> {
  const { settings } = await core.settings.load();
  const setupCompleted = settings.app.setupCompleted;
  if (setupCompleted) return { setupCompleted, clusterExists: null, shouldRunSetup: false };
  const exists = await clusterExists(core);
  return { setupCompleted, clusterExists: exists, shouldRunSetup: exists !== true };
}

/** Marks setup as done (the wizard's last step). */
export async function completeSetup(core: Core): Promise<void> {
  await core.settings.update((s) => ({ ...s, app: { ...s.app, setupCompleted: true } }));
}
