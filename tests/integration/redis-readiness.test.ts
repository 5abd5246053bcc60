/**
 * How the core decides that Redis answers, against a real password-protected Redis: overlapping
 * attempts so a connection the engine's port proxy accepted but cannot serve yet costs nothing,
 * and the cluster status calling Redis healthy while the engine's first healthcheck is pending.
 */
import { randomBytes } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerLabels, containerName } from '../../main/cluster/naming';
import { answeringClient, redisAnswers } from '../../main/cluster/redis-probe';
import { defaultClusterSpec } from '../../main/settings/cluster-spec';
import { clusterStatus } from '../../main/cluster/status';
import { findFreePort } from '../../main/util/ports';
import { redisImage, startTestRedis, waitFor, type TestRedis } from './worker-harness';

const engine = new Dockerode();
let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

/**
 * A TCP front for the real Redis that, like a port proxy before the container's network is up,
 * accepts the first `hold` connections and never answers them; later ones reach Redis.
 */
async function frontWithHeldConnections(hold: number) {
  const held: net.Socket[] = [];
  const closed = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    if (held.length < hold) {
      held.push(socket);
      socket.on('close', () => closed.add(socket));
      socket.resume(); // read and ignore, so the client's close is seen
      return;
    }
    const upstream = net.connect(redis.port, '127.0.0.1');
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    held,
    openHeld: () => held.filter((socket) => !closed.has(socket)).length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('answering Redis', () => {
  it('a held connection does not delay the answer: a later attempt wins while it still hangs', async () => {
    const front = await frontWithHeldConnections(2);
    try {
      const client = await answeringClient(
        { host: '127.0.0.1', port: front.port, password: redis.password },
        { deadline: Date.now() + 10_000 },
      );
      expect(client).not.toBeNull();
      expect(front.held).toHaveLength(2);
      // Both held attempts were still waiting for their own timeout when the answer came.
      expect(front.openHeld()).toBe(2);
      expect(await client!.ping()).toBe('PONG');
      client!.disconnect();
      // The losing attempts give up and close their connections: nothing is left open.
      await waitFor('the held attempts to close', async () =>
        front.openHeld() === 0 ? true : undefined,
      );
    } finally {
      await front.close();
    }
  });

  it('gives up at the deadline with null when nothing answers, leaving no connection open', async () => {
    const front = await frontWithHeldConnections(Number.POSITIVE_INFINITY);
    try {
      const client = await answeringClient(
        { host: '127.0.0.1', port: front.port, password: redis.password },
        { deadline: Date.now() + 400 },
      );
      expect(client).toBeNull();
      expect(front.held.length).toBeGreaterThan(0);
      await waitFor('every attempt to close', async () =>
        front.openHeld() === 0 ? true : undefined,
      );
    } finally {
      await front.close();
    }
  });

  it('redisAnswers needs the right password', async () => {
    const endpoint = { host: '127.0.0.1', port: redis.port };
    expect(await redisAnswers({ ...endpoint, password: redis.password })).toBe(true);
    expect(await redisAnswers({ ...endpoint, password: 'not-the-password' })).toBe(false);
  });
});

describe('cluster status while the engine has not probed Redis yet', () => {
  const cluster = `ghready-${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let port = 0;

  beforeAll(async () => {
    port = (await findFreePort(20_000 + Math.floor(Math.random() * 20_000)))!;
    const name = containerName(cluster, 'redis', 1);
    const container = await engine.createContainer({
      name,
      Image: redisImage,
      Cmd: ['redis-server', '--requirepass', password, '--save', '', '--appendonly', 'no'],
      Labels: containerLabels(cluster, 'redis', 1, 'test', '0.0.0'),
      ExposedPorts: { '6379/tcp': {} },
      // An hour between probes: the engine says "starting" for the whole test.
      Healthcheck: { Test: ['CMD-SHELL', 'exit 0'], Interval: 3_600 * 1e9 },
      HostConfig: {
        Init: true,
        PortBindings: { '6379/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
      },
    });
    await container.start();
    await waitFor('the Redis container to answer', async () =>
      (await redisAnswers({ host: '127.0.0.1', port, password })) ? true : undefined,
    );
  });
  afterAll(async () => {
    await engine
      .getContainer(containerName(cluster, 'redis', 1))
      .remove({ force: true })
      .catch(() => undefined);
  });

  function spec() {
    const base = defaultClusterSpec();
    return {
      ...base,
      name: cluster,
      redis: { ...base.redis, port },
      workers: { ...base.workers, replicas: 0 },
    };
  }

  it('reports the engine’s "starting" without a way to ask Redis', async () => {
    const status = await clusterStatus(engine, spec());
    expect(status.redis?.health).toBe('starting');
    expect(status.state).toBe('starting');
  });

  it('reports healthy when Redis answers PING with the password', async () => {
    const status = await clusterStatus(engine, spec(), {
      redisAnswers: (p) => redisAnswers({ host: '127.0.0.1', port: p, password }),
    });
    expect(status.redis?.health).toBe('healthy');
    expect(status.redis?.port).toBe(port);
    expect(status.state).toBe('running');
  });

  it('keeps "starting" when Redis refuses the password', async () => {
    const status = await clusterStatus(engine, spec(), {
      redisAnswers: (p) => redisAnswers({ host: '127.0.0.1', port: p, password: 'wrong' }),
    });
    expect(status.redis?.health).toBe('starting');
  });
});
