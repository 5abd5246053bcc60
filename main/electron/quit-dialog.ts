/**
 * The dialogs of quitting: "stop the cluster or leave it running?" with a "remember my choice"
 * box, the note shown when stopping failed, and "restart into the downloaded update now?".
 * Decisions are in quit-choice.ts.
 */
import { dialog, type BrowserWindow, type MessageBoxOptions } from 'electron';
import { QUIT_DIALOG_BUTTONS, quitDialogOutcome, type QuitDialogOutcome } from './quit-choice';
import { trayText, type TrayLanguage } from './tray-messages';

const BUTTON_TEXT = { stop: 'quit.stop', leave: 'quit.leave', cancel: 'quit.cancel' } as const;

function showMessageBox(parent: BrowserWindow | null, options: MessageBoxOptions) {
  return parent && !parent.isDestroyed() && parent.isVisible()
    ? dialog.showMessageBox(parent, options)
    : dialog.showMessageBox(options);
}

export async function askQuitChoice(
  language: TrayLanguage,
  parent: BrowserWindow | null,
): Promise<QuitDialogOutcome> {
  const t = (id: Parameters<typeof trayText>[1]) => trayText(language, id);
  const result = await showMessageBox(parent, {
    type: 'question',
    title: t('quit.title'),
    message: t('quit.message'),
    detail: t('quit.detail'),
    buttons: QUIT_DIALOG_BUTTONS.map((button) => t(BUTTON_TEXT[button])),
    defaultId: QUIT_DIALOG_BUTTONS.indexOf('stop'),
    cancelId: QUIT_DIALOG_BUTTONS.indexOf('cancel'),
    checkboxLabel: t('quit.remember'),
    checkboxChecked: false,
    noLink: true,
  });
  return quitDialogOutcome(result.response, result.checkboxChecked);
}

/** Tells the user the cluster could not be stopped (the message is already user-readable). */
export async function showStopFailed(
  language: TrayLanguage,
  parent: BrowserWindow | null,
  message: string,
): Promise<void> {
  await showMessageBox(parent, {
    type: 'warning',
    title: trayText(language, 'quit.title'),
    message: trayText(language, 'quit.stop-failed'),
    detail: trayText(language, 'quit.stop-failed-detail', { message }),
    buttons: ['OK'],
    noLink: true,
  });
}

/** Asks whether to restart into a downloaded update now (true) or later (false). */
export async function askRestartForUpdate(
  language: TrayLanguage,
  parent: BrowserWindow | null,
  version: string,
): Promise<boolean> {
  const result = await showMessageBox(parent, {
    type: 'info',
    title: trayText(language, 'update.title'),
    message: trayText(language, 'update.message', { version }),
    detail: trayText(language, 'update.detail'),
    buttons: [trayText(language, 'update.restart'), trayText(language, 'update.later')],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  });
  return result.response === 0;
}
