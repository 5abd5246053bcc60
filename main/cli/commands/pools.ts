/**
 * `pools` (each pool: kind, image, replicas wanted, its containers with their state) and `scale`
 * (`scale POOL N`; plain `scale N` while the default pool is the only one).
 */
import { MAX_WORKERS } from '@shared/spec-limits';
import type { ClusterStatus } from '../../cluster/status';
import type { Core } from '../../core';
import { clusterPools } from '../../settings/cluster-spec';
import { DEFAULT_POOL } from '../../settings/pool-spec';
import { GuildhallError } from '../../util/errors';
import { EXIT } from '../exit-codes';
import type { CliIO } from '../io';
import { createProgressPrinter } from '../progress-printer';
import { parseCount } from './cluster';

/** What `pools --json` prints: one entry per pool, its containers within. */
export function poolsView(status: ClusterStatus) {
  return status.pools.map((pool) => ({
    ...pool,
    replicas: pool.desired,
    containers: status.workers
      .filter((w) => w.pool === pool.name)
      .map((w) => ({
        name: w.name,
        number: w.number,
        state: w.state,
        health: w.health,
        restartCount: w.restartCount,
        exitCode: w.exitCode,
        oomKilled: w.oomKilled,
      })),
  }));
}

export function formatPools(status: ClusterStatus): string {
  const lines: string[] = [];
  for (const pool of poolsView(status)) {
    lines.push(
      `${pool.name}  ${pool.kind}  ${pool.running}/${pool.replicas} running  image=${pool.image ?? '(built at up)'}`,
    );
    for (const c of pool.containers) {
      const exit =
        c.exitCode !== null ? `  exit=${c.exitCode}${c.oomKilled ? ' (OOM-killed)' : ''}` : '';
      lines.push(`  ${pool.name}-${c.number}  ${c.state}  health=${c.health}${exit}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function poolsCommand(
  core: Core,
  io: CliIO,
  flags: { json?: boolean },
): Promise<number> {
  const status = await core.cluster.status();
  if (flags.json) io.stdout.write(`${JSON.stringify(poolsView(status))}\n`);
  else io.stdout.write(formatPools(status));
  return EXIT.ok;
}

export async function scaleCommand(
  core: Core,
  io: CliIO,
  positionals: string[],
  flags: { json?: boolean; plain?: boolean },
): Promise<number> {
  const pools = clusterPools((await core.cluster.spec()).spec).map((p) => p.name);
  const [first, second] = positionals;
  if (first === undefined || positionals.length > 2)
    throw new GuildhallError(
      'invalid-input',
      'scale needs a pool and a worker count.',
      `Example: guildhall scale ${pools.length > 1 ? `${pools[1]} 2` : '4'} (pools: ${pools.join(', ')})`,
    );
  let pool: string = DEFAULT_POOL;
  let count = first;
  if (second !== undefined) {
    pool = first;
    count = second;
  } else if (pools.length > 1) {
    throw new GuildhallError(
      'invalid-input',
      `The cluster has several pools (${pools.join(', ')}): say which one to scale.`,
      `Example: guildhall scale ${DEFAULT_POOL} ${first}`,
    );
  }
  const replicas =
    parseCount(
      'worker count',
      count,
      0,
      MAX_WORKERS,
      `guildhall scale ${pool === DEFAULT_POOL ? '' : `${pool} `}4 (0–${MAX_WORKERS} workers)`,
    ) ?? 0;
  const mode = flags.json
    ? ('json' as const)
    : io.stderr.isTTY && !flags.plain
      ? ('tty' as const)
      : ('plain' as const);
  const printer = createProgressPrinter(io.stderr, mode);
  try {
    const status = await core.cluster.scale(replicas, { pool, onProgress: printer.sink });
    printer.finish();
    const own = status.workers.filter((w) => w.pool === pool).length;
    if (flags.json) io.stdout.write(`${JSON.stringify(status)}\n`);
    else if (pools.length > 1)
      io.stdout.write(
        `Cluster ${status.cluster}: pool ${pool} now runs ${own} container(s), ${status.workers.length} in all pools.\n`,
      );
    else io.stdout.write(`Cluster ${status.cluster} now runs ${own} worker(s).\n`);
  } finally {
    printer.finish();
  }
  return EXIT.ok;
}
