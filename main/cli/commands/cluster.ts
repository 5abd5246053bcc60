/** `up`, `down`, `status`, `logs`, `connect` (`pools` and `scale`: pools.ts). */
import type { DownResult } from '../../cluster/cluster-service';
import { EXTERNAL_REDIS_ID, type ClusterStatus } from '../../cluster/status';
import { MAX_WORKERS } from '@shared/spec-limits';
import type { Core } from '../../core';
import { GuildhallError } from '../../util/errors';
import { EXIT } from '../exit-codes';
import type { CliIO } from '../io';
import { createProgressPrinter } from '../progress-printer';
import { describeSupervisor, supervisorStatus } from '../../supervisor/supervisor-status';

/** A whole number from the command line; out of range is a usage error with a fix line. */
export function parseCount(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
  example?: string,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new GuildhallError(
      'invalid-input',
      `${flag} must be a whole number from ${min} to ${max} (got "${value}").`,
      example ? `Example: ${example}` : `Give ${flag} a value from ${min} to ${max}.`,
    );
  }
  return n;
}

function progressMode(io: CliIO, flags: { json?: boolean; plain?: boolean }) {
  if (flags.json) return 'json' as const;
  return io.stderr.isTTY && !flags.plain ? ('tty' as const) : ('plain' as const);
}

export async function upCommand(
  core: Core,
  io: CliIO,
  flags: {
    workers?: string;
    'redis-port'?: string;
    'no-wait'?: boolean;
    json?: boolean;
    plain?: boolean;
  },
): Promise<number> {
  const workers = parseCount(
    '--workers',
    flags.workers,
    0,
    MAX_WORKERS,
    'guildhall up --workers 4',
  );
  const redisPort = parseCount('--redis-port', flags['redis-port'], 1, 65535);
  const printer = createProgressPrinter(io.stderr, progressMode(io, flags));
  try {
    const status = await core.cluster.up({
      workers,
      redisPort,
      onProgress: printer.sink,
      waitForWorkers: !flags['no-wait'],
    });
    printer.finish();
    if (flags.json) io.stdout.write(`${JSON.stringify(status)}\n`);
    else
      io.stdout.write(
        `Cluster ${status.cluster} is ready: Redis ${redisWhere(status)}, ${status.workers.length} worker(s). Run \`guildhall connect\` for the URL.\n`,
      );
    return EXIT.ok;
  } finally {
    printer.finish();
  }
}

export async function downCommand(
  core: Core,
  io: CliIO,
  flags: { volumes?: boolean; json?: boolean; plain?: boolean },
): Promise<number> {
  const printer = createProgressPrinter(io.stderr, progressMode(io, flags));
  let result: DownResult;
  try {
    result = await core.cluster.down({ volumes: flags.volumes, onProgress: printer.sink });
  } finally {
    printer.finish();
  }
  const removed =
    result.containers > 0
      ? `Cluster removed (${result.containers} container(s))`
      : 'No containers of the cluster were there';
  const data = result.dataDeleted
    ? 'Redis data deleted.'
    : flags.volumes
      ? 'there was no Redis data to delete.'
      : 'Redis data kept (use --volumes to delete it).';
  io.stdout.write(`${removed}; ${data}\n`);
  return EXIT.ok;
}

/** Where the cluster's Redis is, for the `up` line: its own on 127.0.0.1, or the external one. */
function redisWhere(status: ClusterStatus): string {
  if (status.redis?.id === EXTERNAL_REDIS_ID) return status.redis.name;
  return `on 127.0.0.1:${status.redis?.port}`;
}

export function formatStatus(status: ClusterStatus, engine: string): string {
  const lines = [`Cluster  ${status.cluster}: ${status.state}`, `Engine   ${engine}`];
  if (status.redis) {
    lines.push(
      `Redis    ${status.redis.name}  ${status.redis.state}  health=${status.redis.health}${
        status.redis.id === EXTERNAL_REDIS_ID ? '' : `  127.0.0.1:${status.redis.port ?? '-'}`
      }`,
    );
  } else lines.push('Redis    (none)');
  lines.push(
    `Workers  ${status.workers.filter((w) => w.state === 'running').length}/${status.desiredWorkers} running`,
  );
  const severalPools = status.pools.length > 1;
  for (const w of status.workers) {
    const exit =
      w.exitCode !== null ? `  exit=${w.exitCode}${w.oomKilled ? ' (OOM-killed)' : ''}` : '';
    lines.push(
      `  ${w.name}${severalPools ? `  pool=${w.pool}` : ''}  ${w.state}  health=${w.health}  restarts=${w.restartCount}  reloads=${w.reloads}${exit}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function statusCommand(
  core: Core,
  io: CliIO,
  flags: { json?: boolean },
): Promise<number> {
  const connection = await core.engine();
  const status = await core.cluster.status();
  const supervisor = await supervisorStatus(core);
  const engine = {
    endpoint: connection.endpoint.label,
    version: connection.info.version,
    apiVersion: connection.info.apiVersion,
    state: 'running' as const,
  };
  if (flags.json) io.stdout.write(`${JSON.stringify({ ...status, engine, supervisor })}\n`);
  else
    io.stdout.write(
      formatStatus(
        status,
        `${engine.endpoint}, version ${engine.version}, API ${engine.apiVersion}`,
      ) + `Supervisor  ${describeSupervisor(supervisor)}\n`,
    );
  return EXIT.ok;
}

/**
 * The Redis URL for the user's own clients, once the cluster has a Redis: a URL for a cluster
 * that was never made (or a first `up` that failed) would only lead to "connection refused".
 */
export async function connectCommand(core: Core, io: CliIO): Promise<number> {
  const { spec } = await core.cluster.spec();
  const external = spec.redis.external;
  if (external) {
    // Not Guildhall's Redis: the URL of the external one, with its password, for clients.
    io.stdout.write(`${await core.cluster.connectionUrl()}\n`);
    if (external.url.startsWith('rediss://')) {
      io.stderr.write(
        `guildhall: TLS: clients must trust the CA in ${external.caFile ?? '(caFile not set)'} (e.g. redis-cli --tls --cacert FILE, ioredis tls.ca).\n`,
      );
    }
    return EXIT.ok;
  }
  const containers = await core.cluster.containers();
  const redis = await containers.find(containers.nameOf('redis'));
  if (!redis) {
    throw new GuildhallError(
      'not-found',
      `Cluster "${containers.cluster}" has no Redis yet, so there is nothing to connect to.`,
      'Start it first: guildhall up',
    );
  }
  if (!redis.State.Running) {
    io.stderr.write(
      `guildhall: Redis of cluster "${containers.cluster}" is ${redis.State.Status}; clients connect once it runs (guildhall up).\n`,
    );
  }
  io.stdout.write(`${await core.cluster.connectionUrl()}\n`);
  return EXIT.ok;
}

export async function logsCommand(
  core: Core,
  io: CliIO,
  target: string | undefined,
  flags: { follow?: boolean; tail?: string },
): Promise<number> {
  const tail = parseCount('--tail', flags.tail, 0, 100_000);
  const logs = await core.cluster.logs(target ?? 'redis', { follow: flags.follow, tail });
  await new Promise<void>((resolve, reject) => {
    io.onInterrupt(() => {
      logs.close();
      resolve();
    });
    void (async () => {
      for await (const { stream, bytes } of logs.chunks()) {
        (stream === 'stderr' ? io.stderr : io.stdout).write(bytes);
      }
    })().then(resolve, reject);
  });
  return EXIT.ok;
}
