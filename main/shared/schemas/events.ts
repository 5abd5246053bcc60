/**
 * What the event stream and the log stream carry. Browser-safe: zod only.
 */
import { z } from 'zod';
import { alertsViewSchema } from './alerts';
import { clusterStatusSchema, int, progressEventSchema } from './cluster';

export const API_EVENT_TOPICS = [
  'cluster-state',
  'progress',
  'log',
  'metrics',
  'jobs',
  'alerts',
] as const;
export type ApiEventTopic = (typeof API_EVENT_TOPICS)[number];

export const operationProgressSchema = progressEventSchema.extend({
  /** The procedure that caused it, e.g. "cluster.up". */
  operation: z.string(),
  operationId: z.string(),
});

/** A line of the app's activity log: operations started, finished or failed. */
export const activityLogSchema = z.object({
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
  operation: z.string().optional(),
  operationId: z.string().optional(),
});

/** Queues whose jobs changed (added, started, finished, removed…) since the last such event. */
export const jobActivitySchema = z.object({ queues: z.array(z.string()) });

const alertBase = {
  id: z.string(),
  subject: z.string(),
  message: z.string(),
  raisedAt: z.number(),
};

/** An active alert of the core's alert monitor (main/monitor/alerts.ts). */
export const alertSchema = z.discriminatedUnion('kind', [
  z.object({
    ...alertBase,
    kind: z.literal('worker-crash-loop'),
    worker: z.string(),
    restarts: int,
    windowMs: z.number(),
    lastExitCode: int.nullable(),
    oomKilled: z.boolean(),
  }),
  z.object({
    ...alertBase,
    kind: z.literal('queue-failure-spike'),
    queue: z.string(),
    failures: int,
    completed: int.nullable(),
    windowMs: z.number(),
  }),
]);

/**
 * Every alert active now: sent when one is raised or cleared, and to each new subscriber.
 * `journal`: the alert rules' active and recent alerts and webhook deliveries (main/alerts),
 * once the process has read them.
 */
export const activeAlertsSchema = z.object({
  active: z.array(alertSchema),
  journal: alertsViewSchema.optional(),
});

const eventMeta = { seq: int, at: z.number() };

export const apiEventSchema = z.discriminatedUnion('topic', [
  z.object({ ...eventMeta, topic: z.literal('cluster-state'), data: clusterStatusSchema }),
  z.object({ ...eventMeta, topic: z.literal('progress'), data: operationProgressSchema }),
  z.object({ ...eventMeta, topic: z.literal('log'), data: activityLogSchema }),
  z.object({ ...eventMeta, topic: z.literal('metrics'), data: z.unknown() }),
  z.object({ ...eventMeta, topic: z.literal('jobs'), data: jobActivitySchema }),
  z.object({ ...eventMeta, topic: z.literal('alerts'), data: activeAlertsSchema }),
]);

export const subscribeInputSchema = z
  .strictObject({
    topics: z.array(z.enum(API_EVENT_TOPICS)).min(1).max(API_EVENT_TOPICS.length).optional(),
  })
  .optional();

/** `redis` or a pool's container `POOL-N` (`worker-2`, `tools-1`). */
export const logTargetSchema = z.string().regex(/^(redis|[a-z][a-z0-9-]{0,23}-\d{1,2})$/);

export const logLineSchema = z.object({
  target: z.string(),
  stream: z.enum(['stdout', 'stderr']),
  line: z.string(),
});
