/**
 * connectEngine / discoverEngines against real sockets: fake engines (real HTTP servers), stale
 * socket files, missing sockets and silent servers.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine, discoverEngines, isEnginePresent } from '../../main/engine/connect';
import { socketEndpoint } from '../../main/engine/endpoint-address';
import type { EngineInstallation } from '../../main/engine/installation';
import { GuildhallError } from '../../main/util/errors';
import type { ProgressEvent } from '../../main/util/progress';
import {
  ANCIENT_DOCKER_VERSION,
  DOCKER_20_VERSION,
  PODMAN_VERSION,
  closedTcpPort,
  makeTempDir,
  removeDir,
  startFakeEngine,
  startSilentServer,
  type Closable,
} from './engine-test-servers';

let dir: string;
const servers: Closable[] = [];
const notInstalled: EngineInstallation = { installed: false, found: [] };
const dockerInstalled: EngineInstallation = {
  installed: true,
  found: [{ flavor: 'docker', what: 'docker on PATH', path: '/usr/bin/docker' }],
};
const sock = (name: string, label = name) =>
  socketEndpoint(join(dir, name), 'pinned', label, 'docker');

async function rejection(promise: Promise<unknown>): Promise<GuildhallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GuildhallError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  dir = await makeTempDir();
  servers.push(await startFakeEngine(join(dir, 'good.sock'), { version: DOCKER_20_VERSION }));
  servers.push(await startFakeEngine(join(dir, 'podman.sock'), { version: PODMAN_VERSION }));
  servers.push(
    await startFakeEngine(join(dir, 'ancient.sock'), { version: ANCIENT_DOCKER_VERSION }),
  );
  servers.push(await startSilentServer(join(dir, 'silent-1.sock')));
  servers.push(await startSilentServer(join(dir, 'silent-2.sock')));
  await writeFile(join(dir, 'stale.sock'), '');
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await removeDir(dir);
});

describe('connectEngine', () => {
  it('skips endpoints that do not answer and connects to the first that does', async () => {
    const events: ProgressEvent[] = [];
    const connection = await connectEngine({
      candidates: [
        sock('missing.sock'),
        sock('stale.sock'),
        sock('good.sock', 'Good engine'),
        sock('podman.sock'),
      ],
      installation: dockerInstalled,
      onProgress: (e) => events.push(e),
    });
    expect(connection.endpoint.label).toBe('Good engine');
    expect(connection.info).toMatchObject({
      ok: true,
      version: '20.10.24',
      apiVersion: '1.41',
      engineName: 'docker',
    });
    // The returned client really talks to that engine.
    expect((await connection.docker.version()).Version).toBe('20.10.24');
    expect(events.map((e) => e.status)).toEqual([
      'running',
      'failed',
      'running',
      'failed',
      'running',
      'done',
    ]);
    expect(events.every((e) => e.step === 'engine')).toBe(true);
  });

  it('throws the most informative failure: an engine that is too old beats missing sockets', async () => {
    const error = await rejection(
      connectEngine({
        candidates: [sock('missing.sock'), sock('ancient.sock'), sock('stale.sock')],
        installation: dockerInstalled,
      }),
    );
    expect(error.code).toBe('engine-too-old');
    expect(error.message).toContain('1.24');
    expect(error.details?.tried).toHaveLength(3);
  });

  it('prefers a refused connection on an existing socket over a missing one', async () => {
    const error = await rejection(
      connectEngine({
        candidates: [sock('missing.sock'), sock('stale.sock')],
        installation: dockerInstalled,
      }),
    );
    expect(error.code).toBe('engine-not-running');
    expect(error.message).toContain('stale.sock');
  });

  it('says no engine is installed when no socket exists and nothing is installed', async () => {
    const error = await rejection(
      connectEngine({
        candidates: [sock('missing.sock'), sock('missing-2.sock')],
        installation: notInstalled,
        platform: 'linux',
      }),
    );
    expect(error.code).toBe('engine-not-installed');
    expect(error.hint).toContain('Install Docker Engine');
  });

  it('tries only the pinned endpoint, and detects installation from PATH', async () => {
    const home = join(dir, 'home');
    const bin = join(dir, 'bin');
    await mkdir(home, { recursive: true });
    await mkdir(bin, { recursive: true });
    // The real engine at /var/run/docker.sock must not be used as a fallback for a pinned endpoint.
    const pinned = `unix://${join(dir, 'pinned-dead.sock')}`;
    const bare = await rejection(
      connectEngine({ pinned, home, env: { PATH: bin }, platform: 'linux' }),
    );
    expect(bare.code).toBe('engine-not-installed');
    expect(bare.details?.tried).toHaveLength(1);

    await writeFile(join(bin, 'docker'), '#!/bin/sh\n');
    await chmod(join(bin, 'docker'), 0o755);
    const withDocker = await rejection(
      connectEngine({ pinned, home, env: { PATH: bin }, platform: 'linux' }),
    );
    expect(withDocker.code).toBe('engine-not-running');
    expect(withDocker.message).toContain(join(dir, 'pinned-dead.sock'));
    expect(withDocker.hint).toContain('sudo systemctl start docker');

    const good = await connectEngine({ pinned: join(dir, 'good.sock'), home, env: { PATH: bin } });
    expect(good.endpoint).toMatchObject({ source: 'pinned', socketPath: join(dir, 'good.sock') });
  });

  it('is not redirected by the process’s own DOCKER_HOST', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = `tcp://127.0.0.1:${await closedTcpPort()}`;
    try {
      const connection = await connectEngine({ candidates: [sock('good.sock')] });
      expect(connection.info.version).toBe('20.10.24');
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });

  it('reports a broken DOCKER_CERT_PATH in the process environment as a settings problem, not a missing engine', async () => {
    const saved = { host: process.env.DOCKER_HOST, certs: process.env.DOCKER_CERT_PATH };
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:2376';
    process.env.DOCKER_CERT_PATH = join(dir, 'no-certs-here');
    try {
      const error = await rejection(connectEngine({ candidates: [sock('good.sock')] }));
      expect(error.code).toBe('engine-unreachable');
      expect(error.details?.reason).toBe('invalid-config');
      expect(error.hint).toContain('DOCKER_CERT_PATH');
    } finally {
      for (const [key, value] of [
        ['DOCKER_HOST', saved.host],
        ['DOCKER_CERT_PATH', saved.certs],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe('discoverEngines', () => {
  it('probes every endpoint and reports each one’s status, in discovery order', async () => {
    const results = await discoverEngines({
      candidates: [
        sock('good.sock'),
        sock('missing.sock'),
        sock('podman.sock'),
        sock('ancient.sock'),
      ],
      installation: dockerInstalled,
    });
    expect(results.map((r) => (r.ok ? r.engineName : r.code))).toEqual([
      'docker',
      'engine-not-running',
      'podman',
      'engine-too-old',
    ]);
    expect(results.map(isEnginePresent)).toEqual([true, false, true, true]);
  });

  it('probes in parallel: two stuck engines cost one time limit, not two', async () => {
    const started = Date.now();
    const results = await discoverEngines({
      candidates: [sock('silent-1.sock'), sock('silent-2.sock')],
      timeoutMs: 600,
    });
    const elapsed = Date.now() - started;
    expect(results.map((r) => !r.ok && r.reason)).toEqual(['timeout', 'timeout']);
    expect(elapsed).toBeLessThan(1100);
  });
});
