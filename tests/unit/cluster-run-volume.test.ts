/**
 * How the core prepares the cluster's run volume and how workers are told to reach Redis: the
 * archive written at RUN_DIR, Redis's socket settings, and the socket/TCP choice per engine.
 */
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import {
  redisConfig,
  workerCreateOptions,
  workersCanUseSocket,
  type ContainerInputs,
} from '../../main/cluster/container-configs';
import { runDirArchive } from '../../main/cluster/secret-files';
import { defaultClusterSpec } from '../../main/settings/cluster-spec';
import {
  REDIS_CONFIG_FILE,
  REDIS_PASSWORD_FILE,
  REDIS_SOCKET,
  WORKER_ENV,
} from '../../main/shared/worker-contract';
import { BUILTIN_PROCESSORS } from '../../resources/worker/src/processors/index';
import { builtinProcessor } from '../../resources/worker/src/run-worker';

const PASSWORD = 'unit-run-volume-secret';

async function entries(archive: Buffer) {
  const extract = tar.extract();
  const seen: { name: string; type: string; mode: number; uid: number; body: string }[] = [];
  extract.on('entry', (header, stream, next) => {
    let body = '';
    stream.on('data', (chunk: unknown) => (body += String(chunk)));
    stream.on('end', () => {
      seen.push({
        name: header.name,
        type: header.type ?? 'file',
        mode: header.mode ?? 0,
        uid: header.uid ?? -1,
        body,
      });
      next();
    });
  });
  const done = new Promise<void>((resolve) => extract.on('finish', () => resolve()));
  extract.end(archive);
  await done;
  return seen;
}

describe('the run volume archive', () => {
  it('holds the socket folder (anyone may create, sticky) and read-only files, relative to RUN_DIR', async () => {
    const archive = await runDirArchive([
      { path: REDIS_CONFIG_FILE, content: 'port 6379\n', mode: 0o444 },
      { path: REDIS_PASSWORD_FILE, content: PASSWORD, mode: 0o444 },
    ]);
    expect(await entries(archive)).toEqual([
      { name: 'socket/', type: 'directory', mode: 0o1777, uid: 0, body: '' },
      { name: 'redis.conf', type: 'file', mode: 0o444, uid: 0, body: 'port 6379\n' },
      { name: 'redis-password', type: 'file', mode: 0o444, uid: 0, body: PASSWORD },
    ]);
  });

  it('refuses a file outside RUN_DIR', async () => {
    await expect(
      runDirArchive([{ path: '/etc/passwd', content: 'x', mode: 0o444 }]),
    ).rejects.toThrow(/not under/);
  });
});

describe("Redis's config", () => {
  it('listens on the socket in the run volume, for every user, with the password required', () => {
    const lines = redisConfig(defaultClusterSpec(), PASSWORD).split('\n');
    expect(lines).toContain(`unixsocket ${REDIS_SOCKET}`);
    expect(lines).toContain('unixsocketperm 666');
    expect(lines).toContain(`requirepass ${PASSWORD}`);
    expect(lines).toContain('appendonly yes');
  });
});

describe('how workers reach Redis', () => {
  const inputs = (workerRedis?: 'socket' | 'tcp'): ContainerInputs => ({
    spec: defaultClusterSpec(),
    redisImage: 'redis',
    workerImage: 'worker',
    password: PASSWORD,
    version: 'test',
    workerRedis,
  });
  const env = (workerRedis?: 'socket' | 'tcp') =>
    workerCreateOptions(inputs(workerRedis), 1).options.Env ?? [];

  it('through the socket by default, with no host or port', () => {
    expect(env()).toContain(`${WORKER_ENV.redisSocket}=${REDIS_SOCKET}`);
    expect(env().some((e) => e.startsWith(`${WORKER_ENV.redisHost}=`))).toBe(false);
    expect(env()).toContain(`${WORKER_ENV.redisPasswordFile}=${REDIS_PASSWORD_FILE}`);
  });

  it('over TCP on the cluster network where the socket is refused, and the change recreates them', () => {
    expect(env('tcp')).toEqual(
      expect.arrayContaining([`${WORKER_ENV.redisHost}=redis`, `${WORKER_ENV.redisPort}=6379`]),
    );
    expect(env('tcp').some((e) => e.startsWith(`${WORKER_ENV.redisSocket}=`))).toBe(false);
    expect(workerCreateOptions(inputs('tcp'), 1).hash).not.toBe(
      workerCreateOptions(inputs('socket'), 1).hash,
    );
  });

  it('uses TCP only on engines enforcing SELinux (separate labels refuse unix-socket connects)', () => {
    expect(workersCanUseSocket(undefined)).toBe(true);
    expect(workersCanUseSocket(['name=seccomp,profile=default'])).toBe(true);
    expect(workersCanUseSocket(['name=seccomp,profile=default', 'name=selinux'])).toBe(false);
    expect(workersCanUseSocket(['name=apparmor', 'name=selinux,level=s0'])).toBe(false);
    expect(workersCanUseSocket(['name=selinuxish'])).toBe(true);
  });
});

describe("built-in processors' shape for BullMQ", () => {
  const noQueue = () => {
    throw new Error('no log queue in this test');
  };

  it('echo declares only the job, so BullMQ makes no cancellation signal per job', async () => {
    const echo = builtinProcessor(BUILTIN_PROCESSORS.echo, noQueue);
    expect(echo.length).toBeLessThan(3);
    const job = { id: '1', data: { hello: 'world' } } as Parameters<typeof echo>[0];
    await expect(echo(job)).resolves.toEqual({ hello: 'world' });
  });

  it('shell, http and sleep take the signal (they can be cancelled)', () => {
    for (const name of ['shell', 'http', 'sleep'] as const) {
      expect(builtinProcessor(BUILTIN_PROCESSORS[name], noQueue).length, name).toBe(3);
    }
  });
});
