/**
 * Host checks: free disk where the engine keeps images and volumes, and memory headroom for the
 * configured container limits.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import * as systeminformation from 'systeminformation';
import { engineDiskPath, type EngineDiskPath } from '../../engine/disk-path';
import type { DiagnosticsContext } from '../context';
import { failed, passed, skipped, warning, type DiagnosticCheck } from '../types';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
export const DISK_WARN_BYTES = 5 * GIB;
export const DISK_FAIL_BYTES = 1 * GIB;

export function formatGiB(bytes: number): string {
  return `${(bytes / GIB).toFixed(1)} GiB`;
}

/** The folder whose file system to measure (see engineDiskPath). */
export async function diskPathFor(ctx: DiagnosticsContext): Promise<EngineDiskPath> {
  const engine = await ctx.engine();
  const info = await ctx.engineInfo();
  return engineDiskPath(engine.ok ? engine.connection.endpoint : null, info?.DockerRootDir);
}

export const diskSpaceCheck: DiagnosticCheck = {
  id: 'host.disk',
  category: 'host',
  title: 'Free disk space',
  documentation: `Images, the Redis data volume and container logs live on the engine's disk. Below ${formatGiB(DISK_WARN_BYTES)} free Guildhall warns; below ${formatGiB(DISK_FAIL_BYTES)} Redis may fail to write its append-only file and jobs are lost.`,
  applicable: () => true,
  async check(ctx) {
    const target = await diskPathFor(ctx);
    let free: number;
    try {
      const stats = await fs.statfs(target.path);
      free = Number(stats.bavail) * Number(stats.bsize);
    } catch (err) {
      return skipped(`Free space on ${target.what} could not be read (${(err as Error).message}).`);
    }
    const message = `${formatGiB(free)} free on ${target.what}.`;
    const advice = [
      'Fix: free space — `docker system prune` removes stopped containers, unused networks and dangling images; `docker image prune -a` removes every unused image.',
    ];
    if (free < DISK_FAIL_BYTES) return failed(message, [], advice);
    if (free < DISK_WARN_BYTES) return warning(message, [], advice);
    return passed(message);
  },
};

export interface MemoryNeed {
  /** Sum of the configured limits in bytes (workers × limit + Redis limit). */
  limitsBytes: number;
  /** Containers without a limit (may use any amount). */
  unlimited: string[];
}

export function memoryNeed(spec: {
  redis: { memoryMb: number };
  workers: { replicas: number; memoryMb: number };
}): MemoryNeed {
  const unlimited: string[] = [];
  if (spec.redis.memoryMb === 0) unlimited.push('Redis');
  if (spec.workers.memoryMb === 0 && spec.workers.replicas > 0) unlimited.push('workers');
  return {
    limitsBytes: (spec.workers.replicas * spec.workers.memoryMb + spec.redis.memoryMb) * MIB,
    unlimited,
  };
}

export const memoryHeadroomCheck: DiagnosticCheck = {
  id: 'host.memory',
  category: 'host',
  title: 'Memory headroom for the configured limits',
  documentation:
    'Each worker may use up to its memory limit, Redis up to its own. If the limits add up to more than the engine has, workers are OOM-killed (exit code 137) under load.',
  applicable: () => true,
  async check(ctx) {
    const spec = await ctx.spec();
    const need = memoryNeed(spec);
    const info = await ctx.engineInfo();
    const engineTotal = info?.MemTotal && info.MemTotal > 0 ? info.MemTotal : os.totalmem();
    let available: number;
    try {
      available = (await systeminformation.mem()).available;
    } catch {
      available = os.freemem();
    }
    const running = (await ctx.status())?.state;
    const clusterUp = running === 'running' || running === 'degraded' || running === 'starting';
    const limits = formatGiB(need.limitsBytes);
    const details = [
      `${spec.workers.replicas} worker(s) × ${spec.workers.memoryMb || 'no limit'} MiB + Redis ${spec.redis.memoryMb || 'no limit'} MiB; engine memory ${formatGiB(engineTotal)}, available now ${formatGiB(available)}.`,
      ...(need.unlimited.length
        ? [`No memory limit is set for ${need.unlimited.join(' and ')}.`]
        : []),
    ];
    const advice =
      'Fix: run fewer workers (`guildhall scale N`) or lower the memory limit per worker in Settings.';
    if (need.limitsBytes > engineTotal) {
      return failed(
        `The memory limits add up to ${limits}, more than the engine's ${formatGiB(engineTotal)}.`,
        [],
        [...details, advice],
      );
    }
    // A running cluster's use is already subtracted from what is available.
    if (!clusterUp && need.limitsBytes > available) {
      return warning(
        `The memory limits add up to ${limits}, more than the ${formatGiB(available)} available now.`,
        [],
        [...details, advice],
      );
    }
    if (available < 256 * MIB) {
      return warning(`Only ${formatGiB(available)} of memory is available.`, [], details);
    }
    return passed(
      `The memory limits (${limits}) fit in the engine's ${formatGiB(engineTotal)}.`,
      details,
    );
  },
};

export const HOST_CHECKS: DiagnosticCheck[] = [diskSpaceCheck, memoryHeadroomCheck];
