/**
 * What the supervisor (main/supervisor) did and decided, as every face reads it: the Workers
 * page, `guildhall events` and the audit of its actions. One event per action or decision, with
 * the reason in English (`reason`) and its numbers (`detail`) so the console can say it in the
 * user's language. Browser-safe: zod only.
 */
import { z } from 'zod';

export const supervisorEventKindSchema = z.enum([
  /** It changed something: recreated, restarted, scaled. */
  'action',
  /** It chose not to, or to wait: held by headroom, backing off a crash loop, cooling down. */
  'decision',
  /** Who supervises changed: lease taken, given up, lost. */
  'lease',
]);

export const supervisorEventSchema = z.object({
  /** Milliseconds since the epoch. */
  at: z.number(),
  /** The supervisor that recorded it, e.g. "console@host:1234". */
  by: z.string(),
  kind: supervisorEventKindSchema,
  /** The pool it concerns, or null for the cluster as a whole. */
  pool: z.string().nullable(),
  /** The container it concerns (its name), or null. */
  target: z.string().nullable(),
  /** A short verb: recreate, restart, backoff, scale-up, scale-down, hold, acquire, release… */
  action: z.string(),
  /** Why, in English: "2 → 6: 480 waiting, target 80 per worker". */
  reason: z.string(),
  /** The reason's values, for the console's own wording (catalogue key supervisor.<action>). */
  detail: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});

export type SupervisorEventKind = z.infer<typeof supervisorEventKindSchema>;
export type SupervisorEvent = z.infer<typeof supervisorEventSchema>;

/** Who supervises a cluster: the lease holder (main/supervisor/lease.ts). */
export const supervisorHolderSchema = z.object({
  /** "console@host:1234": the face, host and process id below together. */
  id: z.string(),
  /** Which face runs it: supervise (the CLI), console or app. */
  face: z.string(),
  host: z.string(),
  pid: z.number(),
  /** When it took the lease, milliseconds since the epoch. */
  since: z.number(),
});

export const supervisorStatusSchema = z.object({
  /** spec.supervisor.enabled: whether faces that can supervise do. */
  enabled: z.boolean(),
  /** Whether the cluster's Redis answered (the lease lives there); holder is null when not. */
  reachable: z.boolean(),
  holder: supervisorHolderSchema.nullable(),
  /** How long a holder that stopped renewing keeps the lease. */
  leaseMs: z.number(),
});

export const supervisorEventsInputSchema = z
  .strictObject({ limit: z.number().int().min(1).max(1000).optional() })
  .optional();

export type SupervisorHolder = z.infer<typeof supervisorHolderSchema>;
export type SupervisorStatus = z.infer<typeof supervisorStatusSchema>;
