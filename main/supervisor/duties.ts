/**
 * The duties a supervisor runs, in order, on every tick while it holds the lease: the one list a
 * host (the app, the console, `guildhall supervise`) starts its supervisor with. Add a duty here
 * with one line.
 */
import type { Core } from '../core';
import type { SupervisorDuty } from './duty';
import { HealDuty, type HealOptions } from './heal';

export interface DutyOptions {
  /** The heal duty's timings (tests shorten the crash-loop backoff). */
  heal?: HealOptions;
}

export function supervisorDuties(_core: Core, options: DutyOptions = {}): SupervisorDuty[] {
  return [new HealDuty(options.heal)];
}
