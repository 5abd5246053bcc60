/**
 * The global notice area: short confirmations ("Settings saved") that fade, and errors (with
 * their fix hint) that stay until dismissed.
 *
 *   notices.ok(() => t('settings.saved'));   // a function: follows a language switch
 *   notices.error(t('workers.restartFailed', { name }), apiErrorOf(err));
 */
import type { ApiErrorData } from '../api/client';

export interface Notice {
  id: number;
  tone: 'ok' | 'info' | 'warn' | 'danger';
  /** Text as it came (a core message), or a function that translates it when shown. */
  title: string | (() => string);
  error: ApiErrorData | null;
}

const FADE_MS = 5_000;

class Notices {
  list = $state<Notice[]>([]);
  private nextId = 1;

  push(tone: Notice['tone'], title: Notice['title'], error: ApiErrorData | null = null): number {
    const id = this.nextId++;
    this.list.push({ id, tone, title, error });
    if (this.list.length > 4) this.list.shift();
    if (tone !== 'danger')
      setTimeout(() => this.dismiss(id), tone === 'warn' ? 3 * FADE_MS : FADE_MS);
    return id;
  }

  ok(title: Notice['title']): number {
    return this.push('ok', title);
  }

  info(title: Notice['title']): number {
    return this.push('info', title);
  }

  error(title: Notice['title'], error: ApiErrorData): number {
    return this.push('danger', title, error);
  }

  dismiss(id: number): void {
    this.list = this.list.filter((notice) => notice.id !== id);
  }
}

export const notices = new Notices();
