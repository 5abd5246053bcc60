/**
 * What quitting does with the cluster. Pure: the `onQuit` preference and the cluster phase
 * decide whether to quit at once, stop the cluster first, or ask; the dialog's answer maps back
 * to a choice and, with "remember my choice" ticked, to the preference to save.
 */
import type { AppPreferences } from '../settings/settings-schema';
import type { TrayPhase } from './tray-model';

export type QuitPlan = 'quit' | 'stop-then-quit' | 'ask';

/** The dialog's buttons, in order (response index = position). */
export const QUIT_DIALOG_BUTTONS = ['stop', 'leave', 'cancel'] as const;
export type QuitDialogChoice = (typeof QUIT_DIALOG_BUTTONS)[number];

/** Phases where Redis or workers may be running, so quitting has something to decide about. */
const ACTIVE: readonly TrayPhase[] = ['running', 'degraded', 'starting'];

export function quitPlan(onQuit: AppPreferences['onQuit'], phase: TrayPhase): QuitPlan {
  if (!ACTIVE.includes(phase)) return 'quit';
  if (onQuit === 'leave') return 'quit';
  if (onQuit === 'stop') return 'stop-then-quit';
  return 'ask';
}

export interface QuitDialogOutcome {
  choice: QuitDialogChoice;
  /** The preference to save, or null to keep asking. Cancelling never saves. */
  remember: Exclude<AppPreferences['onQuit'], 'ask'> | null;
}

export function quitDialogOutcome(response: number, rememberChecked: boolean): QuitDialogOutcome {
  // Escape / closing the dialog gives the cancel index or an out-of-range one: both cancel.
  const choice = QUIT_DIALOG_BUTTONS[response] ?? 'cancel';
  if (choice === 'cancel') return { choice, remember: null };
  return { choice, remember: rememberChecked ? choice : null };
}
