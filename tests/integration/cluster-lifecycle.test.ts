import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisVolumeName, networkName, volumeName } from '../../main/cluster/naming';
import type { ProgressEvent } from '../../main/util/progress';
import {
  heartbeatKey,
  REDIS_PASSWORD_FILE,
  REDIS_SOCKET,
  REDIS_SOCKET_DIR,
  RUN_DIR,
  WORKER_ENV,
} from '../../main/shared/worker-contract';
import {
  clusterContainers,
  createTestCluster,
  docker,
  type TestCluster,
} from './helpers/test-cluster';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await createTestCluster({ workers: 2 });
});
afterAll(async () => {
  await cluster?.cleanup();
});

async function byService(name: string) {
  const containers = await clusterContainers(name);
  const service = (s: string) =>
    containers.filter((c) => c.Labels['com.docker.compose.service'] === s);
  return { all: containers, redis: service('redis'), workers: service('worker') };
}

describe('cluster lifecycle on a real engine', () => {
  it('up creates the network, the volume, Redis and N workers with our labels and compose labels', async () => {
    const events: ProgressEvent[] = [];
    const status = await cluster.core.cluster.up({ onProgress: (e) => events.push(e) });
    expect(status.state).toBe('running');
    expect(status.redis?.health).toBe('healthy');
    expect(status.workers.map((w) => w.name)).toEqual([
      `${cluster.name}-worker-1`,
      `${cluster.name}-worker-2`,
    ]);

    const network = await docker.getNetwork(networkName(cluster.name)).inspect();
    expect(network.Labels?.['com.docker.compose.project']).toBe(cluster.name);
    const volume = await docker.getVolume(redisVolumeName(cluster.name)).inspect();
    expect(volume.Labels?.['io.guildhall.cluster']).toBe(cluster.name);

    const { redis, workers } = await byService(cluster.name);
    expect(redis).toHaveLength(1);
    expect(workers).toHaveLength(2);
    for (const c of [...redis, ...workers]) {
      expect(c.Labels['com.docker.compose.project']).toBe(cluster.name);
      expect(c.Labels['io.guildhall.managed']).toBe('true');
      expect(c.State).toBe('running');
    }
    expect(workers.map((c) => c.Labels['com.docker.compose.container-number']).sort()).toEqual([
      '1',
      '2',
    ]);

    // No engine init (Podman may lack one): Redis is PID 1, the worker image brings its own.
    const redisInspect = await docker.getContainer(redis[0]!.Id).inspect();
    expect(redisInspect.HostConfig.Init ?? false).toBe(false);
    expect(redisInspect.HostConfig.PortBindings['6379/tcp']).toEqual([
      { HostIp: '127.0.0.1', HostPort: String(cluster.port) },
    ]);
    expect(
      redisInspect.Mounts.some(
        (m) => m.Name === redisVolumeName(cluster.name) && m.Destination === '/data',
      ),
    ).toBe(true);
    const workerInspect = await docker.getContainer(workers[0]!.Id).inspect();
    expect(workerInspect.HostConfig.Init ?? false).toBe(false);
    expect(workerInspect.Config.Entrypoint).toEqual(['/bin/sh', '/opt/guildhall/init.sh']);
    expect(workerInspect.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
    expect(workerInspect.Config.User).toBe('1000:1000');
    expect((workerInspect.Config as { StopTimeout?: number }).StopTimeout).toBeGreaterThanOrEqual(
      10,
    );

    // Every step reported progress, ending done.
    for (const step of ['network', 'volume', 'redis', 'worker'] as const) {
      expect(events.some((e) => e.step === step && e.status === 'done')).toBe(true);
    }
  });

  it('Redis answers PING on 127.0.0.1 with the password and refuses without it; AOF is on', async () => {
    const url = await cluster.core.cluster.connectionUrl();
    const password = decodeURIComponent(new URL(url).password);
    const authed = new Redis({
      host: '127.0.0.1',
      port: cluster.port,
      password,
      lazyConnect: true,
    });
    await authed.connect();
    expect(await authed.ping()).toBe('PONG');
    expect(await authed.info('persistence')).toMatch(/aof_enabled:1/);
    expect(await authed.config('GET', 'maxmemory-policy')).toEqual([
      'maxmemory-policy',
      'noeviction',
    ]);
    authed.disconnect();

    // Without the password: a raw RESP PING must be refused.
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(cluster.port, '127.0.0.1', () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        resolve(data.toString());
        socket.destroy();
      });
      socket.once('error', reject);
    });
    expect(reply).toMatch(/^-NOAUTH/);
  });

  it('never puts the password into a container’s env, command or labels', async () => {
    const password = decodeURIComponent(
      new URL(await cluster.core.cluster.connectionUrl()).password,
    );
    for (const c of await clusterContainers(cluster.name)) {
      const inspect = JSON.stringify(await docker.getContainer(c.Id).inspect());
      expect(inspect.includes(password)).toBe(false);
    }
  });

  it('workers reach Redis through its socket in the run volume, which they cannot write to', async () => {
    const { redis, workers } = await byService(cluster.name);
    const run = volumeName(cluster.name, 'redis-run');
    expect((await docker.getVolume(run).inspect()).Labels?.['io.guildhall.cluster']).toBe(
      cluster.name,
    );
    const redisInspect = await docker.getContainer(redis[0]!.Id).inspect();
    expect(redisInspect.Mounts).toContainEqual(
      expect.objectContaining({ Name: run, Destination: RUN_DIR, RW: true }),
    );
    const workerInspect = await docker.getContainer(workers[0]!.Id).inspect();
    expect(workerInspect.Mounts).toContainEqual(
      expect.objectContaining({ Name: run, Destination: RUN_DIR, RW: false }),
    );
    expect(workerInspect.Config.Env).toContain(`${WORKER_ENV.redisSocket}=${REDIS_SOCKET}`);
    expect(workerInspect.Config.Env.some((e) => e.startsWith(`${WORKER_ENV.redisHost}=`))).toBe(
      false,
    );

    // The workers' connections arrive on the socket, none from a worker's network address.
    const password = decodeURIComponent(
      new URL(await cluster.core.cluster.connectionUrl()).password,
    );
    const client = new Redis({ host: '127.0.0.1', port: cluster.port, password });
    const clients = ((await client.client('LIST')) as string).split('\n').filter(Boolean);
    client.disconnect();
    const socketClients = clients.filter((line) => line.includes(` addr=${REDIS_SOCKET}:`));
    expect(socketClients.length).toBeGreaterThanOrEqual(workers.length);
    for (const worker of workers) {
      const inspect = await docker.getContainer(worker.Id).inspect();
      for (const { IPAddress } of Object.values(inspect.NetworkSettings.Networks)) {
        expect(clients.filter((line) => line.includes(` addr=${IPAddress}:`))).toEqual([]);
      }
    }

    // The worker's user reads the password file but cannot place anything where Redis reads
    // (the socket folder lets anyone create files, for Redis's socket; the mount does not).
    const exec = await docker.getContainer(workers[0]!.Id).exec({
      Cmd: [
        'sh',
        '-c',
        `cat ${REDIS_PASSWORD_FILE} >/dev/null && touch ${REDIS_SOCKET_DIR}/placed-by-worker`,
      ],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({});
    let output = '';
    stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise((resolve) => stream.on('end', resolve));
    expect((await exec.inspect()).ExitCode).not.toBe(0);
    expect(output).toMatch(/Read-only file system/);
  });

  it('a second up changes nothing', async () => {
    const before = (await clusterContainers(cluster.name)).map((c) => c.Id).sort();
    const events: ProgressEvent[] = [];
    await cluster.core.cluster.up({ onProgress: (e) => events.push(e) });
    const after = (await clusterContainers(cluster.name)).map((c) => c.Id).sort();
    expect(after).toEqual(before);
    expect(events.filter((e) => e.message === 'creating' || e.message === 'starting')).toEqual([]);
  });

  it('scales 2 → 5 → 1, removing the highest numbers first and keeping the rest', async () => {
    const keep = (await byService(cluster.name)).workers.find(
      (c) => c.Labels['com.docker.compose.container-number'] === '1',
    )!.Id;
    const up5 = await cluster.core.cluster.scale(5);
    expect(up5.workers.map((w) => w.number)).toEqual([1, 2, 3, 4, 5]);
    expect(up5.workers.every((w) => w.state === 'running')).toBe(true);
    expect((await byService(cluster.name)).workers).toHaveLength(5);

    const down1 = await cluster.core.cluster.scale(1);
    expect(down1.workers.map((w) => w.number)).toEqual([1]);
    const { workers } = await byService(cluster.name);
    expect(workers.map((c) => c.Id)).toEqual([keep]);
    expect((await cluster.core.settings.load()).settings.cluster.workers.replicas).toBe(1);
  });

  it('down keeps the Redis volume and its data; down --volumes deletes it', async () => {
    const password = decodeURIComponent(
      new URL(await cluster.core.cluster.connectionUrl()).password,
    );
    const client = new Redis({ host: '127.0.0.1', port: cluster.port, password });
    await client.set('guildhall:test:kept', 'yes');
    client.disconnect();

    await cluster.core.cluster.down();
    expect(await clusterContainers(cluster.name)).toEqual([]);
    await expect(docker.getVolume(redisVolumeName(cluster.name)).inspect()).resolves.toBeTruthy();
    // The run volume holds nothing the next up does not write again.
    await expect(
      docker.getVolume(volumeName(cluster.name, 'redis-run')).inspect(),
    ).rejects.toMatchObject({ statusCode: 404 });
    const networks = await docker.listNetworks({ filters: { name: [networkName(cluster.name)] } });
    expect(networks.filter((n) => n.Name === networkName(cluster.name))).toEqual([]);

    await cluster.core.cluster.up({ workers: 0 });
    const again = new Redis({ host: '127.0.0.1', port: cluster.port, password });
    expect(await again.get('guildhall:test:kept')).toBe('yes');
    again.disconnect();

    await cluster.core.cluster.down({ volumes: true });
    await expect(docker.getVolume(redisVolumeName(cluster.name)).inspect()).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});

describe('when Redis cannot be created', () => {
  let blocked: TestCluster;
  const foreign = () => `${blocked.name}-redis-1`;
  const block = async () => {
    // Someone else's container holds Redis's name.
    const other = await docker.createContainer({
      name: foreign(),
      Image: process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm',
      Cmd: ['redis-server'],
    });
    expect(other.id).toBeTruthy();
  };
  const unblock = () => docker.getContainer(foreign()).remove({ force: true });

  beforeAll(async () => {
    blocked = await createTestCluster({ workers: 2 });
  });
  afterAll(async () => {
    await unblock().catch(() => {});
    await blocked?.cleanup();
  });

  it('a first up reports Redis’s problem and leaves nothing behind', async () => {
    await block();
    await expect(blocked.core.cluster.up({ timeoutMs: 20_000 })).rejects.toMatchObject({
      code: 'engine-failed',
      message: expect.stringContaining(`${foreign()} already exists`),
    });
    expect((await byService(blocked.name)).all).toEqual([]);
    const networks = await docker.listNetworks({ filters: { name: [networkName(blocked.name)] } });
    expect(networks.filter((n) => n.Name === networkName(blocked.name))).toEqual([]);
    for (const volume of ['redis-data', 'redis-run'] as const) {
      await expect(
        docker.getVolume(volumeName(blocked.name, volume)).inspect(),
      ).rejects.toMatchObject({ statusCode: 404 });
    }
    expect((await blocked.core.cluster.status()).state).toBe('absent');
    await unblock();
  });

  it('on a cluster that has data, up starts no worker, and the next up finishes the cluster', async () => {
    await blocked.core.cluster.up({ timeoutMs: 60_000 });
    await blocked.core.cluster.down(); // keeps the data volume
    await block();
    await expect(blocked.core.cluster.up({ timeoutMs: 20_000 })).rejects.toMatchObject({
      code: 'engine-failed',
      message: expect.stringContaining(`${foreign()} already exists`),
    });
    // Workers were created alongside Redis but never started: they would only wait for it.
    const { workers, redis } = await byService(blocked.name);
    expect(redis).toEqual([]);
    expect(workers).toHaveLength(2);
    for (const worker of workers) expect(worker.State).toBe('created');

    await unblock();
    const status = await blocked.core.cluster.up({ timeoutMs: 60_000 });
    expect(status.state).toBe('running');
    expect(status.workers.map((w) => w.state)).toEqual(['running', 'running']);
  });
});

describe('up after a change that replaces every worker', () => {
  let changing: TestCluster;
  beforeAll(async () => {
    changing = await createTestCluster({ workers: 2, concurrency: 3 });
  });
  afterAll(async () => {
    await changing?.cleanup();
  });

  it('returns once the new workers have registered, not on the old ones’ heartbeats', async () => {
    await changing.core.cluster.up({ timeoutMs: 60_000 });
    const names = [1, 2].map((n) => `${changing.name}-worker-${n}`);
    const before = await Promise.all(names.map((n) => docker.getContainer(n).inspect()));

    // Another concurrency changes the workers' spec: both are recreated.
    await changing.core.settings.update((s) => ({
      ...s,
      cluster: { ...s.cluster, workers: { ...s.cluster.workers, concurrency: 4 } },
    }));
    await changing.core.cluster.up({ timeoutMs: 60_000 });

    // Right when up returns, each heartbeat comes from the new container.
    const password = decodeURIComponent(
      new URL(await changing.core.cluster.connectionUrl()).password,
    );
    const redis = new Redis({ host: '127.0.0.1', port: changing.port, password });
    try {
      for (const [i, name] of names.entries()) {
        const info = await docker.getContainer(name).inspect();
        expect(info.Id).not.toBe(before[i]!.Id);
        const raw = await redis.get(heartbeatKey(changing.name, name));
        expect(raw).not.toBeNull();
        const beat = JSON.parse(raw!) as { concurrency: number; startedAt: number };
        expect(beat.concurrency).toBe(4);
        expect(beat.startedAt).toBeGreaterThanOrEqual(Date.parse(info.State.StartedAt) - 2_000);
      }
    } finally {
      redis.disconnect();
    }
  });
});
