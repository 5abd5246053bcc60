/**
 * The containers as the engine created them: every capability dropped (Redis gets back only
 * what it needs to step down to its own user), no-new-privileges, a pids limit, workers on a
 * read-only root with a private /tmp, Redis under a memory limit with maxmemory below it; and
 * jobs still run (shell, a processor file in its sandboxed child process).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_CAPABILITIES, workerPidsLimit } from '../../main/cluster/container-security';
import { connectionFromUrl } from './helpers/cluster-jobs-kit';
import { createTestCluster, docker, type TestCluster } from './helpers/test-cluster';

let tc: TestCluster;
let processors: string;
const MIB = 1024 * 1024;

async function runJob(queueName: string, data: unknown): Promise<unknown> {
  const connection = connectionFromUrl(await tc.core.cluster.connectionUrl());
  const queue = new Queue(queueName, { connection });
  const events = new QueueEvents(queueName, { connection });
  try {
    await events.waitUntilReady();
    const job = await queue.add('hardening', data);
    return await job.waitUntilFinished(events, 30_000);
  } finally {
    await queue.close();
    await events.close();
  }
}

beforeAll(async () => {
  tc = await createTestCluster({ workers: 1, concurrency: 4 });
  processors = await fs.mkdtemp(path.join(os.tmpdir(), 'ghharden-processors-'));
  await fs.chmod(processors, 0o755);
  await fs.writeFile(
    path.join(processors, 'double.js'),
    'module.exports = async (job) => ({ doubled: job.data.n * 2 });\n',
  );
  await fs.chmod(path.join(processors, 'double.js'), 0o644);
  await tc.core.settings.update((s) => ({
    ...s,
    cluster: { ...s.cluster, workers: { ...s.cluster.workers, processorsDir: processors } },
  }));
  await tc.core.cluster.up();
}, 180_000);

afterAll(async () => {
  await tc?.cleanup();
  if (processors) await fs.rm(processors, { recursive: true, force: true });
});

describe('container hardening', () => {
  it('drops capabilities, forbids privilege gain and limits pids', async () => {
    const redis = await docker.getContainer(`${tc.name}-redis-1`).inspect();
    expect(redis.HostConfig.CapDrop).toEqual(['ALL']);
    expect([...(redis.HostConfig.CapAdd ?? [])].sort()).toEqual([...REDIS_CAPABILITIES].sort());
    expect(redis.HostConfig.SecurityOpt).toContain('no-new-privileges');
    expect(redis.HostConfig.PidsLimit).toBeGreaterThan(0);

    const worker = await docker.getContainer(`${tc.name}-worker-1`).inspect();
    expect(worker.HostConfig.CapDrop).toEqual(['ALL']);
    expect(worker.HostConfig.CapAdd ?? []).toEqual([]);
    expect(worker.HostConfig.SecurityOpt).toContain('no-new-privileges');
    expect(worker.HostConfig.PidsLimit).toBe(workerPidsLimit(4));
    expect(worker.HostConfig.ReadonlyRootfs).toBe(true);
    expect(Object.keys(worker.HostConfig.Tmpfs ?? {})).toEqual(['/tmp']);
    // The kernel agrees: no capability left in the worker's processes.
    const status = (await runJob('shell', { command: ['cat', '/proc/self/status'] })) as {
      stdoutTail: string;
    };
    expect(status.stdoutTail).toMatch(/^CapEff:\s+0+$/m);
    expect(status.stdoutTail).toMatch(/^NoNewPrivs:\s+1$/m);
  });

  it('gives Redis a memory limit with maxmemory below it', async () => {
    const redis = await docker.getContainer(`${tc.name}-redis-1`).inspect();
    const limit = redis.HostConfig.Memory ?? 0;
    expect(limit).toBe(1024 * MIB);
    const client = new Redis(await tc.core.cluster.connectionUrl());
    try {
      const [, maxmemory] = (await client.config('GET', 'maxmemory')) as [string, string];
      expect(Number(maxmemory)).toBeGreaterThan(0);
      expect(Number(maxmemory)).toBeLessThan(limit);
      expect(await client.config('GET', 'maxmemory-policy')).toEqual([
        'maxmemory-policy',
        'noeviction',
      ]);
    } finally {
      client.disconnect();
    }
  });

  it('still runs jobs: /tmp is writable, the root is not, processor files run', async () => {
    const wrote = (await runJob('shell', {
      command: ['sh', '-c', 'echo hi > /tmp/probe && cat /tmp/probe'],
    })) as { exitCode: number; stdoutTail: string };
    expect(wrote).toMatchObject({ exitCode: 0, stdoutTail: 'hi\n' });
    await expect(
      runJob('shell', { command: ['sh', '-c', 'touch /opt/guildhall/probe'] }),
    ).rejects.toThrow(/Read-only file system/);
    expect(await runJob('double', { n: 21 })).toEqual({ doubled: 42 });
  });
});
