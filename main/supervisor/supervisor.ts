/**
 * The supervisor: one loop per cluster that, while its process holds the cluster's lease
 * (lease.ts), runs the duties (duties.ts: heal, and autoscale, history and alerts where wired)
 * on the cluster's status, and writes what they record to the event log (event-log.ts), the
 * audit log (face "supervisor") and the face's own log.
 *
 * Cheap when nothing changes: a tick (every TICK_MS) renews the lease, a Redis round trip; the
 * cluster's status is read again only when the engine reported a change to one of its containers
 * (cluster-changes.ts, which also wakes the loop at once) or every FULL_READ_MS, and the spec only
 * when the settings file changed. `spec.supervisor.enabled: false` gives the lease back and idles.
 *
 *   const supervisor = new Supervisor({ core, face: 'console', duties: supervisorDuties(core) });
 *   supervisor.start();
 *   …
 *   await supervisor.stop(); // the duties stop and the lease is released
 */
import fs from 'node:fs/promises';
import type { ClusterContainers } from '../cluster/containers';
import { readReloadTimes } from '../cluster/reload-records';
import type { ClusterStatus } from '../cluster/status';
import type { Core } from '../core';
import type { ClusterSpec } from '../settings/cluster-spec';
import type { SupervisorEvent } from '@shared/schemas/supervisor';
import { ClusterChanges } from './cluster-changes';
import type { DutyContext, SupervisorDuty, SupervisorEventInput } from './duty';
import { appendEvents } from './event-log';
import { auditEvent } from './event-audit';
import { formatEventLine } from './event-text';
import { Lease, LEASE_MS, supervisorIdentity, type LeaseChange } from './lease';
import {
  redisTargetOf,
  SupervisorRedis,
  supervisorKeys,
  type RedisTarget,
} from './supervisor-redis';

export const TICK_MS = 2_000;
export const FULL_READ_MS = 10_000;
/** After an engine event, wait this long for its siblings (a removal is several events). */
const SETTLE_MS = 150;

export type SupervisorFace = 'supervise' | 'console' | 'app';

export interface SupervisorOptions {
  core: Core;
  face: SupervisorFace;
  duties: SupervisorDuty[];
  tickMs?: number;
  leaseMs?: number;
  /** Each line the supervisor logs (lease changes, events, failures). */
  log?: (line: string) => void;
  /** Every status it reads (e.g. the process's alert monitor, so a crash loop raises its alert). */
  onStatus?: (status: ClusterStatus) => void;
}

const errorText = (err: unknown) => ((err as Error)?.message ?? String(err)).split('\n')[0]!;

export class Supervisor {
  readonly identity: ReturnType<typeof supervisorIdentity>;
  private readonly redis = new SupervisorRedis('supervisor');
  private readonly changes = new ClusterChanges(() => this.changed());
  private readonly tickMs: number;
  private readonly leaseMs: number;
  private lease: Lease | null = null;
  private cluster = '';
  private spec: ClusterSpec | null = null;
  private specStamp = '';
  private containers: ClusterContainers | null = null;
  /** This tick's Redis (port and password); null when the cluster was never made. */
  private target: RedisTarget | null = null;
  private status: ClusterStatus | null = null;
  private statusAt = 0;
  private dirty = true;
  private duties: AbortController | null = null;
  private pending: SupervisorEvent[] = [];
  private running: Promise<void> | null = null;
  private readonly stopping = new AbortController();
  private wake: (() => void) | null = null;

  constructor(private readonly options: SupervisorOptions) {
    this.identity = supervisorIdentity(options.face);
    this.tickMs = options.tickMs ?? TICK_MS;
    this.leaseMs = options.leaseMs ?? LEASE_MS;
  }

  /** Whether this process supervises its cluster now. */
  get holding(): boolean {
    return this.lease?.held ?? false;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** Stops the loop and the duties, writes what they recorded and gives the lease back. */
  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake?.();
    await this.running;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private changed(): void {
    this.dirty = true;
    if (this.wake) setTimeout(() => this.wake?.(), SETTLE_MS);
  }

  private async loop(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      const started = Date.now();
      try {
        await this.tick();
      } catch (err) {
        this.log(`supervisor: ${errorText(err)}`);
      }
      await this.flush();
      if (this.stopping.signal.aborted) break;
      const wait = Math.max(0, this.tickMs - (Date.now() - started));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => (clearTimeout(timer), resolve());
      });
      this.wake = null;
    }
    await this.standDown('the process stops');
    this.changes.close();
    this.redis.close();
  }

  private async tick(): Promise<void> {
    const spec = await this.currentSpec();
    if (!spec.supervisor.enabled) {
      await this.standDown('spec.supervisor.enabled is false');
      return;
    }
    if (spec.name !== this.cluster) {
      await this.standDown(`the cluster is now ${spec.name}`);
      this.cluster = spec.name;
      this.lease = new Lease(supervisorKeys(spec.name).lease, this.identity, this.leaseMs);
      this.containers = null;
      this.status = null;
    }
    this.target = await redisTargetOf(this.options.core, spec);
    if (!this.target) return; // never started: no Redis, nothing to supervise
    let change: LeaseChange;
    try {
      change = await this.lease!.tick(await this.redis.get(this.target), Date.now());
    } catch (err) {
      // Redis does not answer (stopped cluster, restart): the lease lapses by itself.
      if (this.lease!.held) {
        this.lease!.drop();
        this.stopDuties();
        this.log(`supervisor: Redis does not answer (${errorText(err)}); not supervising`);
      }
      return;
    }
    this.onLeaseChange(change);
    if (!this.lease!.held) return;
    const status = await this.readStatus(spec);
    if (status) await this.runDuties(status);
    // The engine does not answer: duties that report it run on the last status read.
    else if (this.status) await this.runDuties(this.status, (duty) => duty.whenEngineDown === true);
  }

  private onLeaseChange(change: LeaseChange): void {
    if (change.kind === 'acquired') {
      const previous = change.previous;
      this.record({
        kind: 'lease',
        pool: null,
        target: null,
        action: 'acquire',
        reason: previous
          ? `${this.identity.id} took over from ${previous.id}, whose lease lapsed`
          : `${this.identity.id} supervises the cluster`,
        detail: previous ? { previous: previous.id } : {},
      });
      this.duties = new AbortController();
      this.dirty = true;
    } else if (change.kind === 'lost') {
      this.stopDuties();
      this.record({
        kind: 'lease',
        pool: null,
        target: null,
        action: 'lost',
        reason: `${this.identity.id} lost the lease${change.holder ? ` to ${change.holder.id}` : ''}`,
        detail: {},
      });
    }
  }

  /** The spec, read again only when the settings file changed. */
  private async currentSpec(): Promise<ClusterSpec> {
    const file = this.options.core.settings.paths.settings;
    const stat = await fs.stat(file).catch(() => null);
    const stamp = stat ? `${stat.mtimeMs}:${stat.size}` : '';
    if (!this.spec || stamp !== this.specStamp || stamp === '') {
      this.spec = (await this.options.core.cluster.spec()).spec;
      this.specStamp = stamp;
      this.dirty = true;
    }
    return this.spec;
  }

  private async readStatus(spec: ClusterSpec): Promise<ClusterStatus | null> {
    const fresh = !this.dirty && this.status && Date.now() - this.statusAt < FULL_READ_MS;
    if (fresh) return this.status;
    try {
      this.containers ??= await this.options.core.cluster.containers();
      this.changes.watch(this.containers);
      const redis = this.target ? await this.redis.get(this.target) : null;
      this.dirty = false;
      this.status = await this.containers.statusWith(spec, {
        // Reloads are told from crashes on the kept connection (no new client per read).
        reloadTimes: redis
          ? (_port, workers) => readReloadTimes(redis, spec.name, workers).catch(() => new Map())
          : undefined,
      });
      this.statusAt = Date.now();
      this.options.onStatus?.(this.status);
      return this.status;
    } catch (err) {
      this.containers = null; // connect again next time (engine restarted)
      this.changes.close();
      this.dirty = true;
      this.log(`supervisor: cannot read the cluster's status: ${errorText(err)}`);
      return null;
    }
  }

  private async runDuties(
    status: ClusterStatus,
    runs: (duty: SupervisorDuty) => boolean = () => true,
  ): Promise<void> {
    const signal = this.duties?.signal ?? this.stopping.signal;
    const context: DutyContext = {
      core: this.options.core,
      status,
      now: Date.now(),
      record: (event) => this.record(event),
      signal,
    };
    for (const duty of this.options.duties) {
      if (signal.aborted) return;
      if (!runs(duty)) continue;
      try {
        await duty.tick(context);
      } catch (err) {
        this.log(`supervisor: duty ${duty.name} failed: ${errorText(err)}`);
        this.dirty = true; // read afresh before the next try
      }
    }
  }

  private record(event: SupervisorEventInput): void {
    const stamped: SupervisorEvent = {
      ...event,
      detail: event.detail ?? {},
      at: Date.now(),
      by: this.identity.id,
    };
    this.pending.push(stamped);
    this.log(formatEventLine(stamped));
    if (event.kind === 'action') this.dirty = true;
  }

  /** Writes recorded events to the event log and the audit log. */
  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    for (const event of events) await auditEvent(this.options.core, this.cluster, event);
    try {
      const target = this.target;
      if (target) {
        const key = supervisorKeys(target.cluster).events;
        await appendEvents(await this.redis.get(target), key, events);
      }
    } catch (err) {
      this.log(`supervisor: events not written to Redis: ${errorText(err)}`);
    }
  }

  private stopDuties(): void {
    this.duties?.abort();
    this.duties = null;
    for (const duty of this.options.duties) {
      duty
        .stop?.()
        .catch((err: unknown) =>
          this.log(`supervisor: duty ${duty.name} did not stop cleanly: ${errorText(err)}`),
        );
    }
  }

  /** Stops acting: duties stopped, lease given back (when Redis answers). */
  private async standDown(why: string): Promise<void> {
    if (!this.lease?.held) return;
    this.duties?.abort();
    this.duties = null;
    await Promise.allSettled(this.options.duties.map((duty) => duty.stop?.()));
    this.record({
      kind: 'lease',
      pool: null,
      target: null,
      action: 'release',
      reason: `${this.identity.id} stopped supervising: ${why}`,
      detail: {},
    });
    await this.flush();
    try {
      if (this.target) await this.lease.release(await this.redis.get(this.target));
      else this.lease.drop();
    } catch {
      this.lease.drop();
    }
  }
}
