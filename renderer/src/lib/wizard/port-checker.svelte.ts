/**
 * The Configure step's Redis port check, as the user types: debounced, only the latest answer
 * counts, and "taken" means neither free nor this cluster's own Redis (then the next free port
 * is offered).
 */
import { api, type ApiOutputs } from '../api/client';

export type PortCheck = ApiOutputs['setup']['checkPort'];

export const PORT_CHECK_DELAY_MS = 400;

export class PortChecker {
  result = $state.raw<PortCheck | null>(null);
  checking = $state(false);
  private timer: ReturnType<typeof setTimeout> | null = null;
  private request = 0;

  /** Checks after `delay` ms (a newer call replaces a waiting one). */
  soon(port: number | null, cluster: string | undefined, delay = PORT_CHECK_DELAY_MS): void {
    this.stop();
    this.timer = setTimeout(() => void this.check(port, cluster), delay);
  }

  /** Checks now; `port` null (not a valid number) clears the result. */
  async check(port: number | null, cluster: string | undefined): Promise<PortCheck | null> {
    const request = ++this.request;
    if (port === null) {
      this.result = null;
      this.checking = false;
      return null;
    }
    this.checking = true;
    try {
      const result = await api.setup.checkPort({ port, ...(cluster ? { cluster } : {}) });
      if (request === this.request) this.result = result;
      return result;
    } catch {
      if (request === this.request) this.result = null;
      return null;
    } finally {
      if (request === this.request) this.checking = false;
    }
  }

  /** The port is held by another program (answer for exactly this port). */
  taken(port: number): boolean {
    const check = this.result;
    return Boolean(check && check.port === port && !check.free && !check.ours);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
