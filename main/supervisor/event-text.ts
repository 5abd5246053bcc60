/**
 * How a supervisor event reads on a terminal (`guildhall events`, `guildhall supervise`): one
 * line with its time, who, what and why. The console words events itself from their `detail`.
 */
import type { SupervisorEvent } from '@shared/schemas/supervisor';

/** `worker-2` for `<cluster>-worker-2`; other names as they are. */
export function shortNameOf(cluster: string, name: string): string {
  return name.startsWith(`${cluster}-`) ? name.slice(cluster.length + 1) : name;
}

export function formatEventLine(event: SupervisorEvent): string {
  const time = new Date(event.at)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return `${time}  ${event.kind.padEnd(6)}  ${event.action.padEnd(10)}  ${event.reason}  (${event.by})`;
}
