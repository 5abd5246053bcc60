/**
 * Which API procedures change state, and how each names its target and arguments for the audit
 * log. Every procedure of the contract is in exactly one of AUDITED_PROCEDURES and
 * READ_PROCEDURES (tests/unit/audit-procedures.test.ts fails when a new one is in neither), so
 * a new action cannot slip past the audit middleware (audit-middleware.ts).
 */
import { clusterTarget } from '../audit/cluster-target';
import type { ApiServices } from './context';

type Input = Record<string, unknown> | undefined;

export interface AuditDescription {
  target: string | null;
  args: unknown;
}

export type Describe = (input: Input, services: ApiServices) => Promise<AuditDescription>;

/** Target `cluster:<name>`, arguments as given (without the operation id). */
const onCluster: Describe = async (input, services) => {
  const { operationId: _ignored, ...args } = input ?? {};
  return { target: await clusterTarget(services.core), args };
};

/** Target `cluster:<name>/<pool>-<n>` (the default pool `worker` when no pool is given). */
const onWorker: Describe = async (input, services) => ({
  target: `${await clusterTarget(services.core)}/${String(input?.pool ?? 'worker')}-${String(input?.number)}`,
  args: input ?? {},
});

/** Target `queue:<name>`, every other field as arguments. */
const onQueue: Describe = async (input) => {
  const { queue, ...args } = input ?? {};
  return { target: `queue:${String(queue)}`, args };
};

const onJob: Describe = async (input) => ({
  target: `job:${String(input?.queue)}/${String(input?.id)}`,
  args: {},
});

const onSchedule: Describe = async (input) => ({
  target: `schedule:${String(input?.queue)}/${String(input?.id)}`,
  args: {},
});

function countFlowJobs(node: unknown): number {
  const children = (node as { children?: unknown[] } | undefined)?.children ?? [];
  return 1 + children.reduce<number>((sum, child) => sum + countFlowJobs(child), 0);
}

const onFix: Describe = async (input) => {
  const { fixId, operationId: _ignored, ...args } = input ?? {};
  return { target: `fix:${String(fixId)}`, args };
};

const onApp: (target: string) => Describe = (target) => async (input) => ({
  target,
  args: input ?? {},
});

export const AUDITED_PROCEDURES: Record<string, Describe> = {
  'cluster.up': onCluster,
  'cluster.down': onCluster,
  'cluster.scale': onCluster,
  'cluster.restartWorker': onWorker,
  'cluster.stopWorker': onWorker,
  'images.buildPool': async (input, services) => ({
    target: `${await clusterTarget(services.core)}/pool-${String(input?.pool)}`,
    args: {},
  }),
  'images.ensure': onCluster,
  'queues.add': async (input) => {
    const { queue, ...args } = input ?? {};
    return { target: `queue:${String(queue)}`, args };
  },
  'queues.retry': onJob,
  'queues.remove': onJob,
  'queues.promote': onJob,
  'queues.retryAll': onQueue,
  'queues.pause': onQueue,
  'queues.resume': onQueue,
  'queues.clean': onQueue,
  'queues.drain': onQueue,
  'diagnostics.fix': onFix,
  'diagnostics.mute': async (input) => ({
    target: `check:${String(input?.id)}`,
    args: { muted: input?.muted },
  }),
  'diagnostics.bundle': onApp('support-bundle'),
  'setup.pinEngine': onApp('engine'),
  'setup.smokeTest': onCluster,
  'setup.complete': onApp('setup'),
  'settings.update': onApp('settings'),
  'controls.cancel': onJob,
  'controls.setLimits': onQueue,
  'schedules.save': async (input) => {
    const { queue, id, ...args } = input ?? {};
    return { target: `schedule:${String(queue)}/${String(id)}`, args };
  },
  'schedules.remove': onSchedule,
  'schedules.pause': onSchedule,
  'schedules.resume': onSchedule,
  // The tree's root names the flow; its jobs' data stays out (it may be large).
  'flows.add': async (input) => ({
    target: `flow:${String(input?.queue)}`,
    args: { jobs: countFlowJobs(input) },
  }),
  // The name only: the value is never recorded.
  'secrets.set': async (input) => ({ target: `secret:${String(input?.name)}`, args: {} }),
  'secrets.remove': async (input) => ({ target: `secret:${String(input?.name)}`, args: {} }),
  // The webhook's name only: its URL is a secret.
  'alerts.test': async (input) => ({
    target: input?.webhook ? `webhook:${String(input.webhook)}` : 'webhooks',
    args: {},
  }),
  // Names, formats, rules and thresholds; of a URL only that one was given (never the URL).
  'alerts.save': async (input) => ({
    target: 'alerts',
    args: {
      rules: input?.rules,
      webhooks: ((input?.webhooks ?? []) as Record<string, unknown>[]).map(({ url, ...hook }) => ({
        ...hook,
        ...(url ? { url: 'replaced' } : {}),
      })),
    },
  }),
  // Arguments none: the new token is the result, never recorded.
  'app.rotateConsoleToken': async () => ({ target: 'console-token', args: {} }),
};

/** Procedures that only read (or stream) and are not recorded. */
export const READ_PROCEDURES: ReadonlySet<string> = new Set([
  'app.info',
  'app.firstLaunch',
  'app.log.tail',
  'app.log.path',
  'app.openPath',
  'cluster.status',
  'metrics.history',
  'metrics.range',
  'engine.info',
  'engine.discover',
  'queues.list',
  'queues.overview',
  'queues.workers',
  'queues.counts',
  'queues.metrics',
  'queues.jobs',
  'queues.job',
  'queues.findById',
  'queues.findByName',
  'logs.tail',
  'logs.stream',
  'diagnostics.run',
  'setup.host',
  'setup.checkPort',
  'setup.connection',
  'settings.get',
  'secrets.list',
  'export.preview',
  'controls.limits',
  'controls.search',
  'schedules.list',
  'schedules.preview',
  'flows.list',
  'flows.check',
  'flows.tree',
  'flows.locate',
  'audit.list',
  'audit.verify',
  'alerts.list',
  'alerts.config',
  'supervisor.status',
  'supervisor.events',
  'events.subscribe',
]);
