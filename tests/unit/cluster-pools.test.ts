import { describe, expect, it } from 'vitest';
import {
  redisCreateOptions,
  workerCreateOptions,
  type ContainerInputs,
} from '../../main/cluster/container-configs';
import { parseShortName, poolOfLabels } from '../../main/cluster/naming';
import { poolCreateOptions } from '../../main/cluster/pool-configs';
import {
  assertPool,
  assertTotalWithinLimit,
  withPoolReplicas,
} from '../../main/cluster/pool-scaling';
import { clusterPools, clusterSpecSchema } from '../../main/settings/cluster-spec';
import { isGuildhallError } from '../../main/util/errors';
import { parseQueueEntry, queueEntry } from '../../main/shared/worker-contract';

const legacySpec = clusterSpecSchema.parse({
  name: 'legacy',
  workers: { replicas: 2, env: { TZ: 'UTC' }, queues: ['shell', 'echo'] },
});

function inputs(spec = legacySpec, workerRedis: 'socket' | 'tcp' = 'socket'): ContainerInputs {
  return {
    spec,
    redisImage: 'redis:7',
    workerImage: 'guildhall/worker:abc',
    password: 'pw',
    version: '0.1.0',
    workerRedis,
    hostGateway: true,
  };
}

describe('the default pool keeps what a cluster made before pools has', () => {
  // Recorded from the version before pools (commit 8c0f703's container-configs.ts) with these
  // inputs: a running cluster of that version keeps its containers (same hash, same name).
  it('has the same spec hash and name, so its containers are adopted, not recreated', () => {
    const socket = workerCreateOptions(inputs(), 2);
    expect(socket.hash).toBe('497ae4a5609f2ee5');
    expect(socket.options.name).toBe('legacy-worker-2');
    expect(workerCreateOptions(inputs(legacySpec, 'tcp'), 2).hash).toBe('e642b1263fc0a823');
    expect(redisCreateOptions(inputs()).hash).toBe('38a28318b5f3fc47');
    expect(socket.options.Labels).toMatchObject({
      'io.guildhall.service': 'worker',
      'io.guildhall.pool': 'worker',
      'com.docker.compose.service': 'worker',
      'io.guildhall.spec-hash': '497ae4a5609f2ee5',
    });
  });

  it('reads a container without a pool label as the default pool', () => {
    expect(poolOfLabels({ 'io.guildhall.service': 'worker' })).toBe('worker');
    expect(poolOfLabels({ 'io.guildhall.service': 'redis' })).toBe('redis');
    expect(poolOfLabels({ 'io.guildhall.service': 'worker', 'io.guildhall.pool': 'tools' })).toBe(
      'tools',
    );
    expect(poolOfLabels({})).toBeNull();
  });

  it('a second pool changes nothing of the default pool or Redis', () => {
    const spec = clusterSpecSchema.parse({
      ...legacySpec,
      pools: { tools: { replicas: 1 }, celery: { image: 'x:1' } },
    });
    expect(workerCreateOptions(inputs(spec), 2).hash).toBe('497ae4a5609f2ee5');
    expect(redisCreateOptions(inputs(spec)).hash).toBe('38a28318b5f3fc47');
  });
});

describe('pool containers', () => {
  const spec = clusterSpecSchema.parse({
    name: 'c',
    pools: {
      tools: {
        replicas: 2,
        cpus: 0.5,
        memoryMb: 300,
        concurrency: 3,
        stopTimeoutSeconds: 7,
        env: { TZ: 'Asia/Tokyo' },
        shell: true,
        queues: ['shell', { name: 'agent-tasks', processor: 'shell' }],
      },
      quiet: { replicas: 1 },
      celery: {
        image: 'my-celery:1',
        command: ['celery', 'worker'],
        healthcheck: ['CMD', 'celery', 'inspect', 'ping'],
        memoryMb: 256,
        redisUrlEnv: 'CELERY_BROKER_URL',
      },
      plain: { image: 'busybox:1' },
    },
  });
  const pool = (name: string) => clusterPools(spec).find((p) => p.name === name)!;

  it('a built-in pool: named and labelled by pool, its own limits, queues bound to processors', () => {
    const { options } = poolCreateOptions(inputs(spec), pool('tools'), 2);
    expect(options.name).toBe('c-tools-2');
    expect(options.Labels).toMatchObject({
      'io.guildhall.pool': 'tools',
      'io.guildhall.service': 'worker',
      'com.docker.compose.service': 'tools',
      'com.docker.compose.container-number': '2',
    });
    expect(options.HostConfig).toMatchObject({ NanoCpus: 5e8, Memory: 300 * 1024 * 1024 });
    expect(options.StopTimeout).toBe(7);
    expect(options.Env).toEqual(
      expect.arrayContaining([
        'GUILDHALL_QUEUES=shell,agent-tasks=shell',
        'GUILDHALL_CONCURRENCY=3',
        'GUILDHALL_WORKER_NAME=c-tools-2',
        'GUILDHALL_POOL=tools',
        'TZ=Asia/Tokyo',
      ]),
    );
    expect(options.Env).not.toContain('GUILDHALL_SHELL_OFF=1');
    const quiet = poolCreateOptions(inputs(spec), pool('quiet'), 1).options;
    expect(quiet.Env).toContain('GUILDHALL_SHELL_OFF=1');
  });

  it('a custom pool: its image and command, Redis by env and URL file, least privilege', () => {
    const { options } = poolCreateOptions(inputs(spec), pool('celery'), 1);
    expect(options).toMatchObject({
      name: 'c-celery-1',
      Image: 'my-celery:1',
      Cmd: ['celery', 'worker'],
      Healthcheck: { Test: ['CMD', 'celery', 'inspect', 'ping'] },
    });
    expect(options.User).toBeUndefined(); // the image's own user
    expect(options.Env).toEqual(
      expect.arrayContaining([
        'GUILDHALL_REDIS_HOST=redis',
        'GUILDHALL_REDIS_PORT=6379',
        'GUILDHALL_REDIS_URL_FILE=/run/guildhall/redis-url',
        // asked for: documented as visible in docker inspect
        'CELERY_BROKER_URL=redis://default:pw@redis:6379/0',
      ]),
    );
    expect(options.HostConfig).toMatchObject({
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      RestartPolicy: { Name: 'unless-stopped' },
      Memory: 256 * 1024 * 1024,
      Mounts: [{ Source: 'c_redis-run', Target: '/run/guildhall', ReadOnly: true }],
    });
    expect(options.HostConfig?.PidsLimit).toBeGreaterThan(0);
  });

  it('a custom pool that does not ask for it has the password nowhere in its options', () => {
    const { options } = poolCreateOptions(inputs(spec), pool('plain'), 1);
    expect(JSON.stringify(options)).not.toContain('default:pw');
    expect(options.Cmd).toBeUndefined();
    expect(options.Healthcheck).toBeUndefined();
  });
});

describe('names and scaling', () => {
  it('reads short container names', () => {
    expect(parseShortName('redis')).toEqual({ pool: 'redis', number: 1 });
    expect(parseShortName('worker')).toEqual({ pool: 'worker', number: 1 });
    expect(parseShortName('worker-3')).toEqual({ pool: 'worker', number: 3 });
    expect(parseShortName('agent-tools-12')).toEqual({ pool: 'agent-tools', number: 12 });
    expect(parseShortName('3f2a9c')).toBeNull();
  });

  it('queue bindings travel as queue=processor', () => {
    expect(queueEntry('shell')).toBe('shell');
    expect(queueEntry({ name: 'agent-tasks', processor: 'shell' })).toBe('agent-tasks=shell');
    expect(parseQueueEntry('agent-tasks=shell')).toEqual({
      queue: 'agent-tasks',
      processor: 'shell',
    });
    expect(parseQueueEntry('echo')).toEqual({ queue: 'echo', processor: 'echo' });
  });

  it('scales one pool only, refuses unknown pools and more than 64 in all', () => {
    const spec = clusterSpecSchema.parse({
      workers: { replicas: 4 },
      pools: { tools: { replicas: 30 } },
    });
    const scaled = withPoolReplicas(spec, 'tools', 40);
    expect(scaled.pools.tools?.replicas).toBe(40);
    expect(scaled.workers.replicas).toBe(4);
    expect(withPoolReplicas(spec, 'worker', 2).pools.tools?.replicas).toBe(30);
    const tooMany = (() => {
      try {
        assertTotalWithinLimit(withPoolReplicas(spec, 'tools', 61));
      } catch (err) {
        return err;
      }
    })();
    expect(isGuildhallError(tooMany) && tooMany.message).toMatch(
      /At most 64 containers in all pools together; this asks for 65 \(worker 4, tools 61\)/,
    );
    expect(() => assertPool(spec, 'nope')).toThrow(/has no pool "nope"/);
    try {
      assertPool(spec, 'nope');
    } catch (err) {
      expect(isGuildhallError(err) && err.hint).toMatch(/worker, tools/);
    }
  });
});
