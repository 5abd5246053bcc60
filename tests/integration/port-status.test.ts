/**
 * "Is this Redis port free, ours or another program's?" has one answer (cluster/port-status.ts)
 * that the wizard's port check and Troubleshoot both give: a paused Redis of the cluster is
 * ours in both; a port held by another process names that process (issue 12, issue 13). Real
 * engine, real processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerName } from '../../main/cluster/naming';
import { redisPortStatus } from '../../main/cluster/port-status';
import { runCheck } from '../../main/diagnostics/diagnostics';
import { checkRedisPort } from '../../main/setup/port-check';
import { findFreePort } from '../../main/util/ports';
import { createTestCluster, docker, type TestCluster } from './helpers/test-cluster';

let tc: TestCluster;

beforeAll(async () => {
  tc = await createTestCluster({ workers: 1 });
  await tc.core.cluster.up();
});

afterAll(async () => {
  await tc?.cleanup();
});

/** A node process of this test listening on 127.0.0.1:port. */
async function holdPort(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log('listening'))`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await once(child.stdout!, 'data');
  return child;
}

describe('who holds the Redis port', () => {
  it('a paused Redis of this cluster is ours in the wizard and in Troubleshoot', async () => {
    const redis = docker.getContainer(containerName(tc.name, 'redis', 1));
    await redis.pause();
    try {
      expect(await checkRedisPort(tc.core, tc.port)).toMatchObject({
        port: tc.port,
        free: false,
        ours: true,
        suggestion: null,
      });
      const outcome = await runCheck(tc.core, 'network.redis-port', { env: tc.env });
      expect(outcome?.status, outcome?.message).toBe('passed');
      expect(outcome?.message).toBe(
        `Port ${tc.port} on 127.0.0.1 is this cluster's Redis (paused).`,
      );
    } finally {
      await redis.unpause();
    }
  });

  it('a port held by another process names that process, and offers the next free port', async () => {
    const port = (await findFreePort(20_000 + Math.floor(Math.random() * 20_000)))!;
    const child = await holdPort(port);
    try {
      const status = await redisPortStatus(docker, tc.name, port);
      expect(status).toMatchObject({ port, owner: 'other', containerId: null });
      expect(status.holder).toMatch(new RegExp(`^node.* \\(pid ${child.pid}\\)$`));
      expect(status.nextFreePort).toBeGreaterThan(port);

      const check = await checkRedisPort(tc.core, port);
      expect(check).toMatchObject({ free: false, ours: false, holder: status.holder });
      expect(check.suggestion).toBeGreaterThan(port);

      // `up` on that port refuses with the holder's name and the next free port.
      const err = await tc.core.cluster.up({ redisPort: port }).then(
        () => null,
        (e: unknown) => e as { code: string; message: string; hint: string },
      );
      expect(err?.code).toBe('port-in-use');
      expect(err?.message).toBe(`Port ${port} on 127.0.0.1 is already in use by ${status.holder}.`);
      expect(err?.hint).toMatch(/^Use the next free port: guildhall up --redis-port \d+$/);
    } finally {
      child.kill();
    }
    // The cluster was left as it was.
    expect((await tc.core.cluster.status()).redis?.port).toBe(tc.port);
  });
});
