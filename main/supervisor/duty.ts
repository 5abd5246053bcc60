/**
 * A supervisor duty: one thing the supervisor does on each tick while its process holds the
 * cluster's lease (heal the pools, autoscale them, record history, evaluate alerts). The
 * supervisor (supervisor.ts) owns the loop, the lease and the event log; a duty only looks at
 * the tick's facts, acts through the core, and records each action or decision with its reason.
 */
import type { ClusterStatus } from '../cluster/status';
import type { Core } from '../core';
import type { SupervisorEvent } from '@shared/schemas/supervisor';

/** An event as a duty records it; the supervisor stamps `at` and `by`. */
export type SupervisorEventInput = Omit<SupervisorEvent, 'at' | 'by' | 'detail'> & {
  detail?: SupervisorEvent['detail'];
};

export interface DutyContext {
  readonly core: Core;
  /** The cluster's status read for this tick (every pool's containers). */
  readonly status: ClusterStatus;
  /** This tick's time, milliseconds since the epoch. */
  readonly now: number;
  /** Records an action or decision: it reaches the event log, `guildhall events` and the console. */
  record(event: SupervisorEventInput): void;
  /** Aborted when the process stops supervising (lease lost, shutdown). */
  readonly signal: AbortSignal;
}

export interface SupervisorDuty {
  /** Short name, e.g. "heal", "autoscale": in logs and errors. */
  readonly name: string;
  /** Runs once per tick while this process holds the lease. Throws only on a bug. */
  tick(context: DutyContext): Promise<void>;
  /**
   * Releases what the duty holds (connections, timers) when supervising stops. The supervisor
   * may take the lease again later and tick the same duty anew.
   */
  stop?(): Promise<void>;
  /**
   * True for a duty that also runs while the engine does not answer, given the last status read
   * (alerts: "engine unreachable"); others wait for a fresh status.
   */
  readonly whenEngineDown?: boolean;
}
