/**
 * What the setup wizard's Resources step shows: the host's cores, memory and free disk (and the
 * engine's own CPUs and memory when it runs in a VM), a recommended worker count with limits
 * that fit, and warnings when the machine is too small for a comfortable cluster.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import * as systeminformation from 'systeminformation';
import type { ClusterContainers } from '../cluster/containers';
import type { Core } from '../core';
import { engineDiskPath } from '../engine/disk-path';

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;

/** Below these the wizard warns (the cluster still runs, but tightly). */
export const MIN_COMFORTABLE_CORES = 2;
export const MIN_COMFORTABLE_MEMORY_BYTES = 4 * GIB;
export const MIN_COMFORTABLE_DISK_BYTES = 5 * GIB;

export type ResourceWarning = 'few-cores' | 'low-memory' | 'low-disk';

export interface Recommendation {
  workers: number;
  concurrency: number;
  /** Memory limit per worker, MiB. */
  workerMemoryMb: number;
  /** CPUs per worker. */
  workerCpus: number;
  /** Redis memory limit, MiB (0 = none). */
  redisMemoryMb: number;
}

export interface HostResources {
  cores: number;
  memoryTotalBytes: number;
  memoryAvailableBytes: number;
  /** Free bytes where the engine keeps images and volumes; null when it could not be read. */
  diskFreeBytes: number | null;
  /** The folder whose file system `diskFreeBytes` measures (the engine's data root, or "/"). */
  diskPath: string;
  /** The engine's own view (a VM for Docker Desktop); null when the engine was not reached. */
  engineCpus: number | null;
  engineMemoryBytes: number | null;
  recommendation: Recommendation;
  warnings: ResourceWarning[];
}

export interface HostFacts {
  cores: number;
  memoryTotalBytes: number;
  memoryAvailableBytes: number;
  diskFreeBytes: number | null;
  engineCpus: number | null;
  engineMemoryBytes: number | null;
}

/**
 * One worker per usable core (at most 4), each with 1 CPU and 1 GiB — or 512 MiB when memory
 * is short — and only as many as half the available memory holds.
 */
export function recommend(facts: HostFacts): Recommendation {
  const cores = Math.max(1, Math.min(facts.cores, facts.engineCpus ?? facts.cores));
  const available = Math.min(
    facts.memoryAvailableBytes,
    facts.engineMemoryBytes ?? facts.memoryAvailableBytes,
  );
  const workerMemoryMb = available >= 8 * GIB ? 1024 : 512;
  const byMemory = Math.floor((available * 0.5) / (workerMemoryMb * MIB));
  const workers = Math.max(1, Math.min(cores, 4, byMemory));
  return { workers, concurrency: 10, workerMemoryMb, workerCpus: 1, redisMemoryMb: 0 };
}

export function resourceWarnings(facts: HostFacts): ResourceWarning[] {
  const warnings: ResourceWarning[] = [];
  const cores = Math.min(facts.cores, facts.engineCpus ?? facts.cores);
  if (cores < MIN_COMFORTABLE_CORES) warnings.push('few-cores');
  if (facts.memoryAvailableBytes < MIN_COMFORTABLE_MEMORY_BYTES) warnings.push('low-memory');
  if (facts.diskFreeBytes !== null && facts.diskFreeBytes < MIN_COMFORTABLE_DISK_BYTES)
    warnings.push('low-disk');
  return warnings;
}

async function availableMemory(): Promise<number> {
  try {
    return (await systeminformation.mem()).available;
  } catch {
    return os.freemem();
  }
}

/** The engine's own facts and where it stores data; nulls when it cannot be reached. */
async function engineView(core: Core) {
  let containers: ClusterContainers | null = null;
  try {
    containers = await core.cluster.containers();
  } catch {
    // no engine: the host alone
  }
  const info = (await containers?.engineFacts()) ?? null;
  const disk = await engineDiskPath(containers?.engine?.endpoint ?? null, info?.DockerRootDir);
  return { info, disk };
}

/** Reads the host (and, when reachable, the engine) and recommends a cluster size. */
export async function hostResources(core: Core): Promise<HostResources> {
  const [{ info, disk }, memoryAvailableBytes] = await Promise.all([
    engineView(core),
    availableMemory(),
  ]);
  let diskFreeBytes: number | null;
  try {
    const stats = await fs.statfs(disk.path);
    diskFreeBytes = Number(stats.bavail) * Number(stats.bsize);
  } catch {
    diskFreeBytes = null;
  }
  const facts: HostFacts = {
    cores: os.availableParallelism(),
    memoryTotalBytes: os.totalmem(),
    memoryAvailableBytes,
    diskFreeBytes,
    engineCpus: info?.NCPU && info.NCPU > 0 ? info.NCPU : null,
    engineMemoryBytes: info?.MemTotal && info.MemTotal > 0 ? info.MemTotal : null,
  };
  return {
    ...facts,
    diskPath: disk.path,
    recommendation: recommend(facts),
    warnings: resourceWarnings(facts),
  };
}
