/** The worker's environment configuration: defaults, validation messages, the password file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REDIS_ALIAS,
  REDIS_CONTAINER_PORT,
  REDIS_SOCKET,
  WORKER_ENV,
} from '../../main/shared/worker-contract';
import {
  ConfigError,
  loadRedisEndpoint,
  loadWorkerConfig,
  readPasswordFile,
  redisAddress,
  redisConnection,
} from '../../resources/worker/src/config';

const SECRET = 'ghwtest-unit-secret-3f9a';
let dir: string;
let passwordFile: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghwtest-config-'));
  passwordFile = path.join(dir, 'redis-password');
  fs.writeFileSync(passwordFile, `${SECRET}\n`);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function env(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    [WORKER_ENV.cluster]: 'main',
    [WORKER_ENV.redisPasswordFile]: passwordFile,
    ...overrides,
  };
}

function configError(overrides: Record<string, string | undefined>): string {
  try {
    loadWorkerConfig(env(overrides));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadWorkerConfig', () => {
  it('fills in the contract defaults', () => {
    const config = loadWorkerConfig(env());
    expect(config).toEqual({
      cluster: 'main',
      workerName: os.hostname(),
      pool: 'worker',
      redis: {
        socket: null,
        host: REDIS_ALIAS,
        port: REDIS_CONTAINER_PORT,
        password: SECRET,
        passwordFile,
      },
      queues: [],
      concurrency: 1,
      processorsDir: null,
      shutdownGraceMs: 30_000,
      shell: true,
    });
    // A pool without shell: true is told so.
    expect(loadWorkerConfig(env({ [WORKER_ENV.shellOff]: '1' })).shell).toBe(false);
  });

  it('reads every variable', () => {
    const config = loadWorkerConfig(
      env({
        [WORKER_ENV.workerName]: 'guildhall-main-worker-2',
        [WORKER_ENV.pool]: 'tools',
        [WORKER_ENV.redisHost]: '127.0.0.1',
        [WORKER_ENV.redisPort]: '16379',
        [WORKER_ENV.queues]: ' shell, echo ,,shell,images.resize ',
        [WORKER_ENV.concurrency]: '8',
        [WORKER_ENV.processorsDir]: dir,
        [WORKER_ENV.shutdownGraceMs]: '0',
      }),
    );
    expect(config).toMatchObject({
      workerName: 'guildhall-main-worker-2',
      pool: 'tools',
      redis: { host: '127.0.0.1', port: 16379 },
      queues: ['shell', 'echo', 'images.resize'],
      concurrency: 8,
      processorsDir: dir,
      shutdownGraceMs: 0,
    });
  });

  it("connects to Redis's socket when the core gives one, and names it in messages", () => {
    const { redis } = loadWorkerConfig(env({ [WORKER_ENV.redisSocket]: REDIS_SOCKET }));
    expect(redis.socket).toBe(REDIS_SOCKET);
    expect(redisConnection(redis)).toEqual({ path: REDIS_SOCKET, password: SECRET });
    expect(redisAddress(redis)).toBe(REDIS_SOCKET);
    const tcp = loadWorkerConfig(env()).redis;
    expect(redisConnection(tcp)).toEqual({
      host: REDIS_ALIAS,
      port: REDIS_CONTAINER_PORT,
      password: SECRET,
    });
    expect(redisAddress(tcp)).toBe(`${REDIS_ALIAS}:${REDIS_CONTAINER_PORT}`);
    expect(configError({ [WORKER_ENV.redisSocket]: 'redis.sock' })).toContain(
      `${WORKER_ENV.redisSocket}: expected an absolute socket path`,
    );
  });

  it.each([
    [{ [WORKER_ENV.cluster]: undefined }, 'GUILDHALL_CLUSTER: is not set'],
    [
      { [WORKER_ENV.cluster]: 'has space' },
      'GUILDHALL_CLUSTER: expected a cluster name of letters',
    ],
    [
      { [WORKER_ENV.concurrency]: '0' },
      'GUILDHALL_CONCURRENCY: expected a whole number from 1 to 1000',
    ],
    [
      { [WORKER_ENV.concurrency]: '2.5' },
      'GUILDHALL_CONCURRENCY: expected a whole number from 1 to 1000',
    ],
    [
      { [WORKER_ENV.redisPort]: '70000' },
      'GUILDHALL_REDIS_PORT: expected a whole number from 1 to 65535',
    ],
    [
      { [WORKER_ENV.shutdownGraceMs]: '-1' },
      'GUILDHALL_SHUTDOWN_GRACE_MS: expected a whole number',
    ],
    [
      { [WORKER_ENV.queues]: 'ok,bad:name' },
      'GUILDHALL_QUEUES: "bad:name" is not a valid queue name',
    ],
    [
      { [WORKER_ENV.queues]: 'agent-tasks=bad/proc' },
      'GUILDHALL_QUEUES: "bad/proc" is not a valid processor name',
    ],
    [
      { [WORKER_ENV.queues]: 'jobs=shell,jobs=echo' },
      'GUILDHALL_QUEUES: queue "jobs" is bound to two processors',
    ],
    [
      { [WORKER_ENV.redisPasswordFile]: 'relative/path' },
      'GUILDHALL_REDIS_PASSWORD_FILE: expected an absolute file path',
    ],
    [
      { [WORKER_ENV.processorsDir]: '/nonexistent/ghwtest' },
      'the processors folder /nonexistent/ghwtest',
    ],
  ])('rejects %o with a message naming the variable', (overrides, message) => {
    const text = configError(overrides);
    expect(text).toContain(message);
    expect(text).not.toContain('\n');
  });

  it('reports several problems in one line', () => {
    const text = configError({ [WORKER_ENV.cluster]: undefined, [WORKER_ENV.concurrency]: 'x' });
    expect(text).toMatch(
      /GUILDHALL_CLUSTER.*; .*GUILDHALL_CONCURRENCY|GUILDHALL_CONCURRENCY.*; .*GUILDHALL_CLUSTER/,
    );
  });
});

describe('password file', () => {
  it('trims the trailing newline', () => {
    expect(readPasswordFile(passwordFile)).toBe(SECRET);
  });

  it('explains a missing, empty or multi-line file without showing its content', () => {
    expect(() => readPasswordFile(path.join(dir, 'missing'))).toThrow(/does not exist/);
    const empty = path.join(dir, 'empty');
    fs.writeFileSync(empty, '\n');
    expect(() => readPasswordFile(empty)).toThrow(`the Redis password file ${empty} is empty`);
    const twoLines = path.join(dir, 'two-lines');
    fs.writeFileSync(twoLines, `${SECRET}\nsecond-line-secret`);
    let message = '';
    try {
      readPasswordFile(twoLines);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('must hold a single line');
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain('second-line-secret');
  });

  it('the healthcheck needs only the Redis part of the configuration', () => {
    expect(loadRedisEndpoint({ [WORKER_ENV.redisPasswordFile]: passwordFile })).toEqual({
      socket: null,
      host: REDIS_ALIAS,
      port: REDIS_CONTAINER_PORT,
      password: SECRET,
      passwordFile,
    });
  });
});

describe('rolling restart after processor changes', () => {
  it('each worker follows the one numbered before it; worker 1 and other names go first', async () => {
    const { previousWorkerName } = await import('../../resources/worker/src/rolling-restart');
    expect(previousWorkerName('guildhall-worker-1', 'guildhall')).toBeNull();
    expect(previousWorkerName('guildhall-worker-3', 'guildhall')).toBe('guildhall-worker-2');
    expect(previousWorkerName('my-cluster-worker-12', 'my-cluster')).toBe('my-cluster-worker-11');
    expect(previousWorkerName('some-host-123', 'guildhall')).toBeNull();
    // Any pool: its containers follow one another, never another pool's.
    expect(previousWorkerName('guildhall-agent-tools-2', 'guildhall', 'agent-tools')).toBe(
      'guildhall-agent-tools-1',
    );
    expect(previousWorkerName('guildhall-agent-tools-2', 'guildhall')).toBeNull();
  });

  it('waits until the previous worker has restarted, and not forever when it is gone', async () => {
    const { waitForPreviousWorker } = await import('../../resources/worker/src/rolling-restart');
    const changedAt = Date.now();
    let beat: string | null = JSON.stringify({ startedAt: changedAt - 60_000 });
    const redis = { get: async () => beat };
    setTimeout(() => (beat = JSON.stringify({ startedAt: Date.now() })), 150);
    const started = Date.now();
    const outcome = await waitForPreviousWorker({
      redis,
      cluster: 'c',
      name: 'c-worker-2',
      changedAt,
      pollMs: 20,
    });
    expect(outcome).toBe('previous-restarted');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    const stuck = { get: async () => JSON.stringify({ startedAt: changedAt - 60_000 }) };
    expect(
      await waitForPreviousWorker({
        redis: stuck,
        cluster: 'c',
        name: 'c-worker-2',
        changedAt,
        pollMs: 10,
        timeoutMs: 100,
      }),
    ).toBe('timeout');
  });
});
