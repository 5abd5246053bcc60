import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerLabels } from '../../main/cluster/naming';
import {
  clusterContainers,
  createTestCluster,
  docker,
  type TestCluster,
} from './helpers/test-cluster';
import { runCli, startCli } from './helpers/run-cli';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await createTestCluster({ workers: 3 });
});
afterAll(async () => {
  await cluster?.cleanup();
});

describe('guildhall CLI against a real engine', () => {
  it('kill -9 during up, then up again → one consistent cluster, nothing duplicated', async () => {
    const child = startCli(['up', '--json'], cluster.env);
    // Kill as soon as the first container has been created, mid-way through the workers.
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      child.stderr!.on('data', (chunk) => {
        buffered += chunk;
        if (/"step":"(worker|redis)".*"status":"done"/.test(buffered)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
      setTimeout(() => reject(new Error('up produced no container progress in 60 s')), 60_000);
    });

    const second = await runCli(['up', '--json'], cluster.env);
    expect(second.stderr).not.toMatch(/guildhall: /);
    expect(second.code).toBe(0);
    const status = JSON.parse(second.stdout);
    expect(status.state).toBe('running');

    const containers = await clusterContainers(cluster.name);
    const names = containers.map((c) => c.Names[0]!.replace(/^\//, '')).sort();
    expect(names).toEqual(
      [`${cluster.name}-redis-1`, ...[1, 2, 3].map((n) => `${cluster.name}-worker-${n}`)].sort(),
    );
    expect(containers.every((c) => c.State === 'running')).toBe(true);
  });

  it('status --json reports engine, Redis and workers', async () => {
    const result = await runCli(['status', '--json'], cluster.env);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout);
    expect(status.cluster).toBe(cluster.name);
    expect(status.engine).toMatchObject({ state: 'running' });
    expect(status.engine.version).toMatch(/\d+\.\d+/);
    expect(status.engine.endpoint).toBeTruthy();
    expect(status.redis).toMatchObject({
      name: `${cluster.name}-redis-1`,
      state: 'running',
      health: 'healthy',
      port: cluster.port,
    });
    expect(status.workers.map((w: { name: string; state: string }) => [w.name, w.state])).toEqual(
      [1, 2, 3].map((n) => [`${cluster.name}-worker-${n}`, 'running']),
    );
    expect(status.workers[0]).toHaveProperty('health');
  });

  it("connect prints a URL that Debian's redis-cli and the official BullMQ client accept", async () => {
    const result = await runCli(['connect'], cluster.env);
    expect(result.code).toBe(0);
    const url = result.stdout.trim();
    expect(url).toMatch(
      new RegExp(`^redis://default:[0-9a-f]{48}@127\\.0\\.0\\.1:${cluster.port}$`),
    );

    // redis-cli 7.0 sends `AUTH "" PASSWORD` for a URL without a user, which Redis refuses.
    const ping = spawnSync('redis-cli', ['-u', url, 'PING'], { encoding: 'utf8' });
    expect(ping.error).toBeUndefined();
    expect(ping.stdout.trim()).toBe('PONG');

    const connection = new Redis(url, { maxRetriesPerRequest: null });
    const queue = new Queue('echo', { connection });
    const eventsConnection = new Redis(url, { maxRetriesPerRequest: null });
    const events = new QueueEvents('echo', { connection: eventsConnection });
    try {
      await events.waitUntilReady();
      const job = await queue.add('from-bullmq', { via: 'connect URL' });
      expect(await job.waitUntilFinished(events, 30_000)).toEqual({ via: 'connect URL' });
      const read = await Job.fromId(queue, job.id!);
      expect(read?.data).toEqual({ via: 'connect URL' });
    } finally {
      await events.close();
      await queue.close();
      eventsConnection.disconnect();
      connection.disconnect();
    }
  });

  it('add, queues and jobs work from the CLI; malformed JSON is a one-line usage error', async () => {
    const added = await runCli(['add', 'echo', '{"hello":"cli"}', '--json'], cluster.env);
    expect(added.code).toBe(0);
    const { id } = JSON.parse(added.stdout);
    await expect
      .poll(
        async () => {
          const jobs = await runCli(
            ['jobs', 'echo', '--state', 'completed', '--json'],
            cluster.env,
          );
          return JSON.parse(jobs.stdout).jobs.map((j: { id: string }) => j.id);
        },
        { timeout: 20_000, interval: 500 },
      )
      .toContain(id);
    const queues = await runCli(['queues'], cluster.env);
    expect(queues.code).toBe(0);
    expect(queues.stdout).toMatch(/echo/);

    const bad = await runCli(['add', 'echo', '{"hello": }'], cluster.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 1, column \d+/);
    const state = await runCli(['jobs', 'echo', '--state', 'finished'], cluster.env);
    expect(state.code).toBe(2);
    expect(state.stderr).toMatch(/Unknown job state "finished"/);
  });

  it('a port in use gives a one-line reason, the next free port, and exit code 4', async () => {
    await cluster.core.cluster.down();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(cluster.port, '127.0.0.1', resolve));
    try {
      const result = await runCli(['up', '--no-wait'], cluster.env);
      expect(result.code).toBe(4);
      expect(result.stderr).toContain(`Port ${cluster.port} on 127.0.0.1 is already in use`);
      const next = /--redis-port (\d+)/.exec(result.stderr);
      expect(next).not.toBeNull();
      expect(Number(next![1])).toBeGreaterThan(cluster.port);
      // Nothing half-made: no Redis container was left behind.
      expect(
        (await clusterContainers(cluster.name)).filter(
          (c) => c.Labels['io.guildhall.service'] === 'redis',
        ),
      ).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('a port in use behind an out-of-date Redis of ours is caught when Redis starts: exit 4, then up finishes', async () => {
    await cluster.core.cluster.down();
    // Left by an interrupted run: ours by its labels, never started, out of date.
    await docker.createContainer({
      name: `${cluster.name}-redis-1`,
      Image: process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm',
      Cmd: ['redis-server'],
      Labels: containerLabels(cluster.name, 'redis', 1, 'out-of-date', 'test'),
    });
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(cluster.port, '127.0.0.1', resolve));
    try {
      const result = await runCli(['up'], cluster.env);
      expect(result.code).toBe(4);
      expect(result.stderr).toContain(`Port ${cluster.port} on 127.0.0.1 is already in use`);
      expect(result.stderr).toMatch(/--redis-port \d+/);
      const redis = (await clusterContainers(cluster.name)).filter(
        (c) => c.Labels['io.guildhall.service'] === 'redis',
      );
      expect(redis.map((c) => c.State)).not.toContain('running');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    // Workers started alongside may be waiting for Redis; the next up completes the cluster.
    const again = await runCli(['up', '--json'], cluster.env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).state).toBe('running');
    const names = (await clusterContainers(cluster.name))
      .map((c) => c.Names[0]!.replace(/^\//, ''))
      .sort();
    expect(names).toEqual(
      [`${cluster.name}-redis-1`, ...[1, 2, 3].map((n) => `${cluster.name}-worker-${n}`)].sort(),
    );
  });

  it('scale with an image that cannot be pulled: exit 5, settings.json unchanged, cluster still running; doctor offers no pull', async () => {
    const up = await runCli(['up'], cluster.env);
    expect(up.code, up.stderr).toBe(0);
    const settingsFile = path.join(cluster.home, 'settings.json');
    const before = await fs.readFile(settingsFile, 'utf8');
    // A local-only image (as scripts/build-offline-images.sh names them) that this engine lacks.
    const absent = 'guildhall-offline/redis:ghtest-absent';
    const env = { ...cluster.env, GUILDHALL_REDIS_IMAGE: absent };

    const scaled = await runCli(['scale', '4'], env);
    expect(scaled.code, scaled.stderr).toBe(5);
    expect(scaled.stderr).toContain(absent);
    expect(await fs.readFile(settingsFile, 'utf8')).toBe(before);
    const status = await cluster.core.cluster.status();
    expect(status.state).toBe('running');
    expect(status.desiredWorkers).toBe(3);
    expect(status.workers.filter((w) => w.state === 'running')).toHaveLength(3);

    const doctor = await runCli(['doctor'], env);
    expect(doctor.code).toBe(7);
    expect(doctor.stdout).toContain(`Missing: Redis image ${absent}`);
    expect(doctor.stdout).toContain(
      `${absent} is built on this machine, not in a registry, so it cannot be pulled: build the offline images (bash scripts/build-offline-images.sh), load the image from a file, or change GUILDHALL_REDIS_IMAGE, which sets it.`,
    );
    expect(doctor.stdout).not.toMatch(/pull-image|Pull guildhall-offline/);
  });

  it('bad flags and unknown commands exit 2 with a one-line reason', async () => {
    const bad = await runCli(['scale', 'many'], cluster.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/worker count must be a whole number from 0 to 64/);
    const unknown = await runCli(['up', '--wokers', '3'], cluster.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('image build prints the worker image tag; image load without a file is a usage error', async () => {
    const built = await runCli(['image', 'build', '--json'], cluster.env);
    expect(built.code).toBe(0);
    expect(JSON.parse(built.stdout).tag).toMatch(/^guildhall\/worker:[0-9a-f]{12}$/);
    const load = await runCli(['image', 'load'], cluster.env);
    expect(load.code).toBe(2);
    expect(load.stderr).toMatch(/image load needs a file/);
  });

  it('engine not running → exit 3 with the reason and a fix', async () => {
    const result = await runCli(['status'], {
      ...cluster.env,
      DOCKER_HOST: 'unix:///tmp/guildhall-no-such.sock',
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/fix: /);
  });
});
