/**
 * The CLI's state-changing commands, as audit-log actions: the CLI acts on the core directly
 * (not through the API router), so runCli records these commands itself, with the same action
 * names the API uses. Every CLI command is in exactly one of CLI_AUDITED and CLI_READS
 * (tests/unit/audit-procedures.test.ts checks the COMMANDS table against both).
 */
import type { AuditAction } from '../audit/audit-entry';
import { clusterTarget, type ClusterNameSource } from '../audit/cluster-target';
import { recordAction, type AuditCore, auditSinkFor } from '../audit/record';
import { EXIT } from './exit-codes';

type Flags = Record<string, unknown>;
type Describe = (positionals: string[], flags: Flags) => Omit<AuditAction, 'face'> | null;

/** Flags that only shape the output; left out of the recorded arguments. */
const OUTPUT_FLAGS = new Set(['json', 'plain']);

function argsOf(flags: Flags, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flags)) if (!OUTPUT_FLAGS.has(key)) args[key] = value;
  return { ...args, ...extra };
}

function parsedJson(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const onCluster =
  (action: string): Describe =>
  (positionals, flags) => ({
    action,
    target: 'cluster',
    args: argsOf(flags, positionals.length ? { positionals } : {}),
  });

export const CLI_AUDITED: Record<string, Describe> = {
  up: onCluster('cluster.up'),
  down: onCluster('cluster.down'),
  scale: (p, flags) => ({
    action: 'cluster.scale',
    target: 'cluster',
    args: argsOf(flags, p.length > 1 ? { pool: p[0], replicas: p[1] } : { replicas: p[0] }),
  }),
  add: ([queue, data], flags) => ({
    action: 'queues.add',
    target: `queue:${queue ?? '?'}`,
    // Parsed, so secret-looking keys inside the job data are redacted like the API's.
    args: argsOf(flags, { data: parsedJson(data) }),
  }),
  retry: ([queue, id], flags) =>
    flags.all === true
      ? { action: 'queues.retryAll', target: `queue:${queue ?? '?'}`, args: {} }
      : { action: 'queues.retry', target: `job:${queue ?? '?'}/${id ?? '?'}`, args: {} },
  clean: ([queue], flags) => ({
    action: 'queues.clean',
    target: `queue:${queue ?? '?'}`,
    args: argsOf(flags),
  }),
  image: ([sub, arg]) =>
    sub === 'load'
      ? { action: 'images.load', target: arg ? `file:${arg}` : 'images', args: {} }
      : sub === 'build'
        ? { action: 'images.build', target: arg ? `pool:${arg}` : 'images', args: {} }
        : sub === 'push'
          ? { action: 'images.push', target: `registry:${arg ?? '?'}`, args: {} }
          : null,
  // Hands the cluster's secrets out: into files (--out), or printed in Kubernetes Secrets.
  // A compose file printed to stdout names its secret files without their values: a read.
  export: ([kind], flags) =>
    typeof flags.out === 'string' || kind === 'kubernetes'
      ? { action: 'export.write', target: `export:${kind ?? '?'}`, args: argsOf(flags) }
      : null,
  // A dry run only reads: it prints the plan.
  apply: ([file], flags) =>
    flags['dry-run'] === true
      ? null
      : { action: 'cluster.apply', target: 'cluster', args: argsOf(flags, { file: file ?? '?' }) },
  doctor: (_p, flags) => {
    if (typeof flags.fix === 'string') {
      const { fix, bundle: _bundle, ...rest } = flags;
      return { action: 'diagnostics.fix', target: `fix:${fix}`, args: argsOf(rest) };
    }
    if (typeof flags.bundle === 'string') {
      return { action: 'diagnostics.bundle', target: 'support-bundle', args: argsOf(flags) };
    }
    return null;
  },
  cancel: ([queue, id]) => ({
    action: 'controls.cancel',
    target: `job:${queue ?? '?'}/${id ?? '?'}`,
    args: {},
  }),
  limits: ([queue], flags) =>
    flags.concurrency !== undefined || flags.rate !== undefined
      ? { action: 'controls.setLimits', target: `queue:${queue ?? '?'}`, args: argsOf(flags) }
      : null,
  schedule: ([sub, target], flags) => {
    if (sub === 'add') {
      const { data, ...rest } = flags;
      return {
        action: 'schedules.save',
        target: `queue:${target ?? '?'}`,
        args: argsOf(rest, data === undefined ? {} : { data: parsedJson(String(data)) }),
      };
    }
    const action = { rm: 'remove', pause: 'pause', resume: 'resume' }[sub ?? ''];
    if (!action) return null;
    const queue = typeof flags.queue === 'string' ? flags.queue : '?';
    return {
      action: `schedules.${action}`,
      target: `schedule:${queue}/${target ?? '?'}`,
      args: {},
    };
  },
  flow: ([sub, file]) =>
    sub === 'add' ? { action: 'flows.add', target: `file:${file ?? '?'}`, args: {} } : null,
  // The name only: never a value (a value given on the command line is refused, and not logged).
  secret: ([sub, name]) =>
    sub === 'set' || sub === 'rm'
      ? {
          action: sub === 'set' ? 'secrets.set' : 'secrets.remove',
          target: `secret:${name ?? '?'}`,
          args: {},
        }
      : null,
  // The webhook's name only: its URL is a secret.
  alerts: ([sub], flags) =>
    sub === 'test'
      ? {
          action: 'alerts.test',
          target: typeof flags.webhook === 'string' ? `webhook:${flags.webhook}` : 'webhooks',
          args: {},
        }
      : null,
  config: ([sub, key, value]) =>
    sub === 'set' || sub === 'unset'
      ? {
          action: 'settings.update',
          target: 'settings',
          args: sub === 'set' ? { [key ?? '?']: value ?? null } : { unset: key ?? '?' },
        }
      : null,
};

/** Commands that only read, or serve (their actions are recorded by the API they serve). */
export const CLI_READS: ReadonlySet<string> = new Set([
  'status',
  'spec',
  'pools',
  'logs',
  'connect',
  'queues',
  'jobs',
  'job',
  'search',
  'schedules',
  'flows',
  'console',
  'audit',
  'metrics',
  'events',
  // Serves: its actions are recorded one by one with face "supervisor" (supervisor/event-audit.ts).
  'supervise',
]);

/**
 * Runs a CLI command, recorded when it changes state. A command reports failure by its exit
 * code as well as by throwing; `doctor --fix` exits 7 when checks still fail after a fix that
 * itself ran, which is no failure of the fix.
 */
export async function runAudited(
  core: AuditCore & ClusterNameSource,
  command: string,
  positionals: string[],
  flags: Flags,
  run: () => Promise<number>,
): Promise<number> {
  const described = CLI_AUDITED[command]?.(positionals, flags) ?? null;
  if (!described) return run();
  const target = described.target === 'cluster' ? await clusterTarget(core) : described.target;
  const action: AuditAction = { face: 'cli', ...described, target };
  return recordAction(auditSinkFor(core), action, async () => {
    const code = await run();
    const fine =
      code === EXIT.ok || (action.action === 'diagnostics.fix' && code === EXIT.checksFailed);
    if (!fine) throw Object.assign(new Error(`exit code ${code}`), { code: `exit-${code}` });
    return code;
  }).catch((err: unknown) => {
    const exit = /^exit-(\d+)$/.exec(String((err as { code?: unknown })?.code ?? ''));
    if (exit) return Number(exit[1]);
    throw err;
  });
}
