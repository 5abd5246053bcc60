/**
 * The duties a supervisor runs, in order, on every tick while it holds the lease: the one list a
 * host (the app, the console, `guildhall supervise`) starts its supervisor with. Add a duty here
 * with one line.
 */
import { AlertDuty, type AlertDutyOptions } from '../alerts';
import type { Core } from '../core';
import type { SupervisorDuty } from './duty';
import { createAutoscaleDuty, type AutoscaleDutyOptions } from './autoscale';
import { HealDuty, type HealOptions } from './heal';
import { historyDuty } from './history-duty';

export interface DutyOptions {
  /** The heal duty's timings (tests shorten the crash-loop backoff). */
  heal?: HealOptions;
  /** How autoscale scales and reads the host (tests give their own). */
  autoscale?: AutoscaleDutyOptions;
  /** The alert duty's webhook delivery policy (tests shorten the retries). */
  alerts?: AlertDutyOptions;
}

export function supervisorDuties(_core: Core, options: DutyOptions = {}): SupervisorDuty[] {
  return [
    new HealDuty(options.heal),
    createAutoscaleDuty(options.autoscale),
    new AlertDuty(options.alerts),
    historyDuty(),
  ];
}
