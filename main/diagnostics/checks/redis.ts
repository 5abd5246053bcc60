/**
 * Redis checks: the container runs, is healthy and accepts the stored password; and it is
 * configured the way BullMQ needs (maxmemory-policy noeviction, AOF on, AOF writes succeeding).
 */
import { redisHealthFromInfo } from '../../queues/redis-info';
import type { DiagnosticsContext } from '../context';
import { failed, passed, skipped, warning, type DiagnosticCheck, type FixAction } from '../types';

export const RECREATE_REDIS: FixAction = {
  id: 'recreate-redis',
  label: 'Recreate the Redis container (keeps data)',
};
export const RESTART_CLUSTER: FixAction = { id: 'restart-cluster', label: 'Restart the cluster' };
export const START_CLUSTER: FixAction = {
  id: 'start-cluster',
  label: 'Start the cluster (creates what is missing)',
};

/** The Redis container's checks; an external Redis has its own (external-redis.ts). */
const clusterCreated = async (ctx: DiagnosticsContext) =>
  (await ctx.spec()).redis.external === null && (await ctx.clusterExists()) !== false;

async function logDetails(ctx: DiagnosticsContext, name: string): Promise<string[]> {
  const containers = await ctx.containers();
  if (!containers) return [];
  const lines = await containers.lastLines(name, 5);
  return lines ? ['Last log lines:', ...lines.split('\n').map((l) => `  ${l}`)] : [];
}

export const redisContainerCheck: DiagnosticCheck = {
  id: 'redis.container',
  category: 'redis',
  title: 'Redis running and password accepted',
  documentation:
    'Redis holds every queue and job. Its container must run and pass its health check, and it must accept the password Guildhall stored for this cluster (workers read the same password).',
  applicable: clusterCreated,
  async check(ctx) {
    const status = await ctx.status();
    if (!status) return skipped('The engine could not be reached.');
    const redis = status.redis;
    if (!redis) return failed('The cluster has no Redis container.', [START_CLUSTER]);
    if (redis.state !== 'running') {
      const exit =
        redis.exitCode !== null
          ? ` (exit code ${redis.exitCode}${redis.oomKilled ? ', killed: out of memory' : ''})`
          : '';
      return failed(
        `The Redis container ${redis.name} is ${redis.state}${exit}.`,
        [RESTART_CLUSTER, RECREATE_REDIS],
        await logDetails(ctx, redis.name),
      );
    }
    if (redis.health === 'unhealthy') {
      return failed(
        `The Redis container ${redis.name} runs but fails its health check.`,
        [RECREATE_REDIS, RESTART_CLUSTER],
        await logDetails(ctx, redis.name),
      );
    }
    const connection = await ctx.redis();
    if (!connection.ok) {
      const fixes =
        connection.problem === 'auth' || connection.problem === 'no-password'
          ? [RECREATE_REDIS]
          : [RESTART_CLUSTER, RECREATE_REDIS];
      const details =
        connection.problem === 'auth'
          ? [
              'Recreating the Redis container writes the stored password into its configuration again; data on the volume is kept.',
            ]
          : await logDetails(ctx, redis.name);
      return failed(connection.message, fixes, details);
    }
    const health = redisHealthFromInfo(connection.info);
    return passed(
      `Redis ${health.version} in ${redis.name} answers on 127.0.0.1:${connection.port} and accepts the stored password.`,
    );
  },
};

export const redisConfigCheck: DiagnosticCheck = {
  id: 'redis.config',
  category: 'redis',
  title: 'Redis configured for queues',
  documentation:
    'BullMQ needs maxmemory-policy noeviction (otherwise Redis silently deletes jobs when memory runs out) and append-only-file persistence (otherwise queued jobs are lost when Redis restarts).',
  applicable: clusterCreated,
  async check(ctx) {
    const connection = await ctx.redis();
    if (!connection.ok) return skipped(`Redis could not be asked: ${connection.message}`);
    const health = redisHealthFromInfo(connection.info);
    const problems: string[] = [];
    if (health.maxMemoryPolicy !== 'noeviction') {
      problems.push(
        `maxmemory-policy is ${health.maxMemoryPolicy}, so Redis may evict (delete) jobs under memory pressure`,
      );
    }
    if (!health.aof.enabled)
      problems.push('AOF persistence is off, so jobs are lost when Redis restarts');
    else if (health.aof.lastWriteStatus && health.aof.lastWriteStatus !== 'ok') {
      problems.push(
        `the last AOF write failed (${health.aof.lastWriteStatus}); the disk may be full`,
      );
    }
    if (problems.length > 0) {
      return failed(
        `Redis is misconfigured: ${problems.join('; ')}.`,
        [RECREATE_REDIS],
        [
          "Recreating the Redis container applies Guildhall's configuration again (noeviction, appendonly yes); data on the volume is kept.",
        ],
      );
    }
    if (health.maxMemoryBytes > 0 && health.usedMemoryBytes > 0.9 * health.maxMemoryBytes) {
      const pct = Math.round((100 * health.usedMemoryBytes) / health.maxMemoryBytes);
      return warning(
        `Redis uses ${pct}% of its memory limit; with noeviction, adding jobs fails once it is full.`,
        [],
        [
          'Fix: remove finished jobs (clean completed/failed), or raise the Redis memory limit in Settings.',
        ],
      );
    }
    return passed('maxmemory-policy is noeviction and AOF persistence is on.');
  },
};

export const REDIS_CHECKS: DiagnosticCheck[] = [redisContainerCheck, redisConfigCheck];
