/**
 * Network checks: the Redis host port is free or ours (the one answer of cluster/port-status.ts,
 * which the wizard and `up` ask too); the cluster's network and volume exist.
 */
import { networkName, redisVolumeName } from '../../cluster/naming';
import { heldBy, redisPortStatus } from '../../cluster/port-status';
import { failed, passed, skipped, warning, type DiagnosticCheck, type FixAction } from '../types';

export function choosePortFix(next: number): FixAction {
  return { id: 'choose-free-port', label: `Use port ${next} for Redis instead` };
}

export const redisPortCheck: DiagnosticCheck = {
  id: 'network.redis-port',
  category: 'network',
  title: 'Redis port free or ours',
  documentation:
    'Redis is published on 127.0.0.1 at the port in Settings. If another program (another Redis, another cluster) holds that port, the cluster cannot start.',
  // An external Redis publishes no port of ours.
  applicable: async (ctx) => (await ctx.spec()).redis.external === null,
  async check(ctx) {
    const spec = await ctx.spec();
    const port = spec.redis.port;
    const [status, containers] = await Promise.all([ctx.status(), ctx.containers()]);
    const redis = status?.redis ?? null;
    const owner = containers
      ? await containers.redisPortStatus(port, spec.name)
      : await redisPortStatus(null, spec.name, port);
    if (owner.owner === 'ours') {
      const paused = redis?.state === 'paused' ? ' (paused)' : '';
      return passed(`Port ${port} on 127.0.0.1 is this cluster's Redis${paused}.`);
    }
    const elsewhere =
      redis?.state === 'running' && redis.port !== null && redis.port !== port
        ? [
            `This cluster's Redis currently runs on port ${redis.port}; \`guildhall up\` moves it to ${port}.`,
          ]
        : [];
    if (owner.owner === 'free') {
      return passed(`Port ${port} on 127.0.0.1 is free for Redis.`, elsewhere);
    }
    const next = owner.nextFreePort;
    const fixes = next ? [choosePortFix(next)] : [];
    const details = [
      next ? `The next free port is ${next}.` : `No free port was found after ${port}.`,
      ...elsewhere,
    ];
    if (owner.owner === 'unknown' || status === null) {
      const by = owner.holder ? ` ${heldBy(owner)}` : '';
      return warning(
        `Port ${port} on 127.0.0.1 is in use${by}; the engine could not be asked whether this cluster's Redis holds it.`,
        fixes,
        details,
      );
    }
    return failed(`Port ${port} on 127.0.0.1 is in use ${heldBy(owner)}.`, fixes, details);
  },
};

export const clusterObjectsCheck: DiagnosticCheck = {
  id: 'network.cluster-objects',
  category: 'network',
  title: 'Cluster network and data volume exist',
  documentation:
    "Redis's published port sits on the cluster network, and Redis keeps its data (AOF) on the data volume. Both are created by `guildhall up` and must stay while the cluster exists. (The workers reach Redis through its socket in the cluster's run volume, which `up` also creates and `down` removes.)",
  applicable: async (ctx) => (await ctx.clusterExists()) !== false,
  async check(ctx) {
    const status = await ctx.status();
    if (!status) return skipped('The engine could not be reached.');
    const spec = await ctx.spec();
    const missing = [
      ...(status.network ? [] : [`network ${networkName(spec.name)}`]),
      ...(status.volume ? [] : [`volume ${redisVolumeName(spec.name)}`]),
    ];
    if (missing.length === 0) {
      return passed(
        `Network ${networkName(spec.name)} and volume ${redisVolumeName(spec.name)} exist.`,
      );
    }
    return failed(
      `The cluster's ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing.`,
      [{ id: 'reset-cluster', label: 'Recreate the cluster (keeps Redis data)' }],
    );
  },
};

export const NETWORK_CHECKS: DiagnosticCheck[] = [redisPortCheck, clusterObjectsCheck];
