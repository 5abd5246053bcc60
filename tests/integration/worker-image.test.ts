/**
 * The worker image's Dockerfile is real: it builds offline on the minimal node base (its one RUN
 * step runs that node), runs the bundle as uid 1000 with a code cache its node accepts, carries
 * the protocol label, and the worker inside it processes a job, passes its healthcheck and stops
 * with exit code 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REDIS_PASSWORD_FILE,
  WORKER_ENTRYPOINT,
  WORKER_ENV,
  WORKER_HEALTHCHECK_COMMAND,
  WORKER_PROTOCOL_LABEL,
  WORKER_PROTOCOL_VERSION,
  WORKER_USER,
} from '../../main/shared/worker-contract';
import {
  TEST_LABEL,
  buildWorkerBundle,
  docker,
  queueClient,
  startTestRedis,
  uniqueName,
  waitFor,
  workerContextDir,
  type TestRedis,
} from './worker-harness';

const IMAGE = 'guildhall-test/worker:dev';
const baseImage = process.env.GUILDHALL_WORKER_BASE_IMAGE ?? 'guildhall-offline/node:bookworm';

let redis: TestRedis;
let secretDir: string;
const containers: string[] = [];

beforeAll(async () => {
  buildWorkerBundle();
  docker(
    ['build', '--build-arg', `BASE_IMAGE=${baseImage}`, '-t', IMAGE, workerContextDir],
    300_000,
  );
  redis = await startTestRedis();
  secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghwtest-image-secret-'));
  // Readable by uid 1000 inside the container, as the core's secret file is.
  fs.writeFileSync(path.join(secretDir, 'redis-password'), redis.password, { mode: 0o644 });
});

afterAll(async () => {
  for (const name of containers) {
    try {
      docker(['rm', '-f', name]);
    } catch {
      // already gone
    }
  }
  await redis?.stop();
  if (secretDir) fs.rmSync(secretDir, { recursive: true, force: true });
  try {
    docker(['rmi', IMAGE]);
  } catch {
    // still used or already removed
  }
});

/** docker run flags that put a container next to the test Redis, as a worker of cluster `cluster`. */
function workerRunArgs(name: string, cluster: string): string[] {
  return [
    '--name',
    name,
    '--label',
    TEST_LABEL,
    '--network',
    'host',
    '-v',
    `${path.join(secretDir, 'redis-password')}:${REDIS_PASSWORD_FILE}:ro`,
    '-e',
    `${WORKER_ENV.cluster}=${cluster}`,
    '-e',
    `${WORKER_ENV.workerName}=${name}`,
    '-e',
    `${WORKER_ENV.redisHost}=${redis.host}`,
    '-e',
    `${WORKER_ENV.redisPort}=${redis.port}`,
    '-e',
    `${WORKER_ENV.queues}=echo`,
  ];
}

describe('worker image', () => {
  it('has the protocol label, a numeric non-root user, SIGTERM and the worker command', () => {
    const config = JSON.parse(
      docker(['image', 'inspect', IMAGE, '--format', '{{json .Config}}']),
    ) as {
      Labels: Record<string, string> | null;
      User: string;
      StopSignal: string;
      Cmd: string[];
      Env: string[];
    };
    expect(config.Labels?.[WORKER_PROTOCOL_LABEL]).toBe(WORKER_PROTOCOL_VERSION);
    expect(config.User).toBe(WORKER_USER);
    expect(config.StopSignal).toBe('SIGTERM');
    expect(config.Cmd).toEqual(['node', WORKER_ENTRYPOINT]);
    expect(config.Env).toEqual(expect.arrayContaining(['HOME=/tmp', 'NODE_ENV=production']));
  });

  it('starts the worker program with the V8 code cache the image build wrote', () => {
    const output = docker([
      'run',
      '--rm',
      '--label',
      TEST_LABEL,
      '-e',
      'GUILDHALL_CODE_CACHE_REPORT=1',
      IMAGE,
      'sh',
      '-c',
      `node ${WORKER_ENTRYPOINT} --version 2>&1`,
    ]);
    expect(output).toContain('code cache: accepted');
    expect(output).toMatch(/guildhall-worker \d+\.\d+\.\d+/);
  });

  it('runs the bundle as uid 1000 (--version)', () => {
    const version = docker([
      'run',
      '--rm',
      '--label',
      TEST_LABEL,
      IMAGE,
      'node',
      WORKER_ENTRYPOINT,
      '--version',
    ]);
    expect(version).toMatch(
      new RegExp(`^guildhall-worker \\d+\\.\\d+\\.\\d+.* \\(protocol ${WORKER_PROTOCOL_VERSION},`),
    );
    const ids = docker([
      'run',
      '--rm',
      '--label',
      TEST_LABEL,
      IMAGE,
      'node',
      '-e',
      'process.stdout.write(`${process.getuid()}:${process.getgid()}`)',
    ]);
    expect(ids).toBe('1000:1000');
  });

  it('processes jobs, passes its healthcheck and exits 0 on docker stop', async () => {
    const name = uniqueName('container');
    containers.push(name);
    docker(['run', '-d', ...workerRunArgs(name, uniqueName('cluster')), IMAGE]);

    const echo = await queueClient(redis, 'echo');
    try {
      expect(await echo.run({ from: 'container' }, undefined, 30_000)).toEqual({
        from: 'container',
      });
    } finally {
      await echo.close();
    }
    const health = docker(['exec', name, ...WORKER_HEALTHCHECK_COMMAND]);
    expect(health).toContain('healthy');

    docker(['stop', '--time', '20', name]);
    const state = JSON.parse(docker(['inspect', name, '--format', '{{json .State}}'])) as {
      ExitCode: number;
    };
    expect(state.ExitCode).toBe(0);
    const logs = docker(['logs', name]);
    expect(logs).toContain('received SIGTERM');
    expect(logs).not.toContain(redis.password);
  });

  it('healthcheck fails (exit 1) when Redis is not reachable from the container', async () => {
    const name = uniqueName('unhealthy');
    containers.push(name);
    const args = workerRunArgs(name, uniqueName('cluster')).map((arg) =>
      arg === `${WORKER_ENV.redisPort}=${redis.port}` ? `${WORKER_ENV.redisPort}=1` : arg,
    );
    docker(['run', '-d', ...args, IMAGE]);
    await waitFor('the container to run', () =>
      docker(['inspect', name, '--format', '{{.State.Running}}']) === 'true' ? true : undefined,
    );
    let exitCode = 0;
    try {
      docker(['exec', name, ...WORKER_HEALTHCHECK_COMMAND]);
    } catch (err) {
      exitCode = (err as { status: number }).status;
    }
    expect(exitCode).toBe(1);
  });
});
