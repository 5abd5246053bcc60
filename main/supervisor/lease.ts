/**
 * The lease that lets one supervisor act per cluster: a Redis key holding the holder's identity
 * and a random token, set only when absent (SET NX PX) and renewed on every tick by its holder
 * alone (a script compares the token). Others try to take it on each of their ticks and succeed
 * once it lapses: a holder that was killed is replaced within LEASE_MS. A clean exit deletes it
 * (again only with the token), so the next one takes over at its next tick.
 *
 * LEASE_MS (10 s) is five of the supervisor's 2-second ticks: a holder busy for a tick or two
 * (a slow engine call) keeps it, and a dead one is replaced within about 12 s.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { supervisorHolderSchema, type SupervisorHolder } from '@shared/schemas/supervisor';

export const LEASE_MS = 10_000;

/** Who supervises: "console@host:1234", with its parts and since when (epoch ms). */
export type LeaseHolder = SupervisorHolder;

const leaseValueSchema = supervisorHolderSchema.extend({ token: z.string() });
type LeaseValue = z.infer<typeof leaseValueSchema>;

/** This process's identity as a supervisor of `face` ("supervise", "console", "app"). */
export function supervisorIdentity(
  face: string,
  host = os.hostname(),
  pid = process.pid,
): Omit<LeaseHolder, 'since'> {
  return { id: `${face}@${host}:${pid}`, face, host, pid };
}

/** The holder a stored lease value names, or null when it is not a lease (absent, foreign). */
export function parseLease(value: string | null): LeaseHolder | null {
  if (value === null) return null;
  try {
    const parsed = leaseValueSchema.safeParse(JSON.parse(value));
    if (!parsed.success) return null;
    const { token: _token, ...holder } = parsed.data;
    return holder;
  } catch {
    return null;
  }
}

/** The stored value of a new lease: the holder and a token only this process knows. */
export function newLeaseValue(
  holder: Omit<LeaseHolder, 'since'>,
  now: number,
  token = randomBytes(16).toString('hex'),
): string {
  const value: LeaseValue = { ...holder, since: now, token };
  return JSON.stringify(value);
}

/** PEXPIRE only when the key still holds our value; 1 when renewed. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** DEL only when the key still holds our value. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export type LeaseChange =
  | { kind: 'acquired'; previous: LeaseHolder | null }
  | { kind: 'kept' }
  | { kind: 'lost'; holder: LeaseHolder | null }
  | { kind: 'watching'; holder: LeaseHolder | null };

/** One process's side of the lease: take it when free, keep it, give it back. */
export class Lease {
  private value: string | null = null;
  /** The last holder seen while watching: named when we take over from it. */
  private lastSeen: LeaseHolder | null = null;

  constructor(
    private readonly key: string,
    private readonly identity: Omit<LeaseHolder, 'since'>,
    private readonly leaseMs = LEASE_MS,
  ) {}

  get held(): boolean {
    return this.value !== null;
  }

  /** The holder as stored, when this process holds the lease. */
  holder(): LeaseHolder | null {
    return parseLease(this.value);
  }

  /** Renews the lease when held, else tries to take it. Throws when Redis does not answer. */
  async tick(redis: Redis, now: number): Promise<LeaseChange> {
    if (this.value !== null) {
      const renewed = await redis.eval(RENEW, 1, this.key, this.value, String(this.leaseMs));
      if (Number(renewed) === 1) return { kind: 'kept' };
      this.value = null;
      const holder = parseLease(await redis.get(this.key));
      this.lastSeen = holder;
      return { kind: 'lost', holder };
    }
    const value = newLeaseValue(this.identity, now);
    const set = await redis.set(this.key, value, 'PX', this.leaseMs, 'NX');
    if (set === 'OK') {
      this.value = value;
      const previous = this.lastSeen;
      this.lastSeen = null;
      return { kind: 'acquired', previous };
    }
    const holder = parseLease(await redis.get(this.key));
    this.lastSeen = holder;
    return { kind: 'watching', holder };
  }

  /** Gives the lease back (only if still ours); true when it was. */
  async release(redis: Redis): Promise<boolean> {
    const value = this.value;
    this.value = null;
    if (value === null) return false;
    return Number(await redis.eval(RELEASE, 1, this.key, value)) === 1;
  }

  /** Forgets the lease without telling Redis (Redis unreachable: it lapses by itself). */
  drop(): void {
    this.value = null;
  }
}

/** Who holds the lease stored under `key`, if anyone. */
export async function readLeaseHolder(redis: Redis, key: string): Promise<LeaseHolder | null> {
  return parseLease(await redis.get(key));
}
