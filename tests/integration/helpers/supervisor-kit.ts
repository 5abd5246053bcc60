/**
 * What the supervisor tests share: a supervisor run in this process on a test cluster, waiting
 * for a condition, reading the supervisor's events, and counting a container's engine starts.
 */
import type { SupervisorEvent } from '../../../main/shared/schemas/supervisor';
import type { ClusterStatus } from '../../../main/cluster/status';
import type { Core } from '../../../main/core';
import { supervisorDuties, type DutyOptions } from '../../../main/supervisor/duties';
import { Supervisor, type SupervisorFace } from '../../../main/supervisor/supervisor';
import { supervisorEvents } from '../../../main/supervisor/supervisor-status';
import { docker } from './test-cluster';

export function startSupervisor(
  core: Core,
  options: DutyOptions & {
    face?: SupervisorFace;
    lines?: string[];
    onStatus?: (status: ClusterStatus) => void;
  } = {},
): Supervisor {
  const supervisor = new Supervisor({
    core,
    face: options.face ?? 'supervise',
    duties: supervisorDuties(core, options),
    log: (line) => options.lines?.push(line),
    onStatus: options.onStatus,
  });
  supervisor.start();
  return supervisor;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it returns a value (not undefined/false) or time runs out. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false | null>,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== false && value !== null) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The supervisor's events (the latest 200), oldest first. */
export async function events(core: Core): Promise<SupervisorEvent[]> {
  return (await supervisorEvents(core, 200)).map(({ event }) => event);
}

/** The container's state as the engine says, or null when it does not exist. */
export async function engineState(
  name: string,
): Promise<{ id: string; running: boolean; status: string; startedAt: string } | null> {
  try {
    const info = await docker.getContainer(name).inspect();
    return {
      id: info.Id,
      running: info.State.Running,
      status: info.State.Status,
      startedAt: info.State.StartedAt,
    };
  } catch {
    return null;
  }
}

/** Counts the engine's starts of container `name` from now until `stop()` is called. */
export async function countStarts(name: string): Promise<{ now(): number; stop(): number }> {
  const stream = (await docker.getEvents({
    filters: JSON.stringify({ type: ['container'], event: ['start'], container: [name] }),
  })) as NodeJS.ReadableStream & { destroy(): void };
  let starts = 0;
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    starts += lines.filter((line) => line.includes('"start"')).length;
  });
  stream.on('error', () => {});
  return {
    now: () => starts,
    stop() {
      stream.destroy();
      return starts;
    },
  };
}
