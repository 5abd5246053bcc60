/**
 * probeEngine against real endpoints: real missing sockets, real refused connections, a real
 * silent server, real fake-engine HTTP servers and a real permission denial seen by an
 * unprivileged child process.
 */
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEngineHost, socketEndpoint } from '../../main/engine/endpoint-address';
import { probeEngine } from '../../main/engine/probe';
import { MIN_API_VERSION, type ProbeResult } from '../../main/engine/types';
import {
  ANCIENT_DOCKER_VERSION,
  DOCKER_20_VERSION,
  PODMAN_VERSION,
  closedTcpPort,
  makeTempDir,
  probeSocketAsUser,
  removeDir,
  startFakeEngine,
  startSilentServer,
  type Closable,
} from './engine-test-servers';

let dir: string;
const servers: Closable[] = [];
const installed = {
  installed: true,
  found: [{ flavor: 'docker' as const, what: 'docker on PATH', path: '/usr/bin/docker' }],
};

beforeAll(async () => {
  dir = await makeTempDir();
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await removeDir(dir);
});

function failed(result: ProbeResult) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result;
}

describe('probeEngine', () => {
  it('reads version, API version, OS and arch from a Docker engine', async () => {
    const path = join(dir, 'docker-ok.sock');
    servers.push(await startFakeEngine(path, { version: DOCKER_20_VERSION }));
    const result = await probeEngine(socketEndpoint(path, 'pinned', 'Test', 'docker'));
    expect(result).toMatchObject({
      ok: true,
      version: '20.10.24',
      apiVersion: '1.41',
      os: 'linux',
      arch: 'amd64',
      engineName: 'docker',
    });
  });

  it('recognises Podman from its version components', async () => {
    const path = join(dir, 'podman-ok.sock');
    servers.push(await startFakeEngine(path, { version: PODMAN_VERSION }));
    const result = await probeEngine(socketEndpoint(path, 'podman', 'Podman', 'podman'));
    expect(result).toMatchObject({
      ok: true,
      engineName: 'podman',
      version: '4.9.3',
      arch: 'arm64',
    });
  });

  it('reports a missing socket as not running when an engine is installed, not installed otherwise', async () => {
    const endpoint = socketEndpoint(
      join(dir, 'nothing-here.sock'),
      'default-socket',
      'Docker Engine',
      'docker',
    );
    const running = failed(
      await probeEngine(endpoint, { platform: 'linux', installation: installed }),
    );
    expect(running).toMatchObject({
      code: 'engine-not-running',
      reason: 'socket-missing',
      cause: 'ENOENT',
    });
    expect(running.message).toContain(join(dir, 'nothing-here.sock'));
    expect(running.hint).toContain('sudo systemctl start docker');

    const absent = failed(
      await probeEngine(endpoint, {
        platform: 'linux',
        installation: { installed: false, found: [] },
      }),
    );
    expect(absent).toMatchObject({ code: 'engine-not-installed', reason: 'socket-missing' });
    expect(absent.hint).toContain('Install Docker Engine');
  });

  it('reports a stale socket file (connection refused) as not running', async () => {
    const path = join(dir, 'stale.sock');
    await writeFile(path, '');
    const result = failed(
      await probeEngine(
        socketEndpoint(path, 'docker-desktop', 'Docker Desktop', 'docker-desktop'),
        { platform: 'darwin' },
      ),
    );
    expect(result).toMatchObject({
      code: 'engine-not-running',
      reason: 'connection-refused',
      cause: 'ECONNREFUSED',
    });
    expect(result.hint).toContain('Start Docker Desktop');
  });

  it('reports a closed TCP port as not running', async () => {
    const port = await closedTcpPort();
    const endpoint = parseEngineHost(`tcp://127.0.0.1:${port}`, {
      source: 'docker-host',
      label: 'DOCKER_HOST',
    });
    const result = failed(await probeEngine(endpoint));
    expect(result).toMatchObject({ code: 'engine-not-running', reason: 'connection-refused' });
    expect(result.message).toContain(`tcp://127.0.0.1:${port}`);
  });

  it('gives up on an engine that accepts but never answers, within the time limit', async () => {
    const path = join(dir, 'silent.sock');
    servers.push(await startSilentServer(path));
    const started = Date.now();
    const result = failed(
      await probeEngine(socketEndpoint(path, 'pinned', 'Stuck engine', 'docker'), {
        timeoutMs: 400,
        platform: 'linux',
      }),
    );
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ code: 'engine-unreachable', reason: 'timeout' });
    expect(result.message).toContain('0.4s');
    expect(result.hint).toContain('sudo systemctl restart docker');
    expect(elapsed).toBeGreaterThanOrEqual(350);
    expect(elapsed).toBeLessThan(3000);
  });

  it('waits longer for /version than for the ping: a busy Podman answers /version in seconds', async () => {
    const path = join(dir, 'slow-version.sock');
    servers.push(await startFakeEngine(path, { version: PODMAN_VERSION, versionDelayMs: 700 }));
    const result = await probeEngine(socketEndpoint(path, 'pinned', 'Busy Podman', 'podman'), {
      timeoutMs: 400,
      platform: 'linux',
    });
    expect(result).toMatchObject({ ok: true, engineName: 'podman', version: '4.9.3' });
  });

  it('refuses an engine whose API is older than the minimum, naming both versions', async () => {
    const path = join(dir, 'ancient.sock');
    servers.push(await startFakeEngine(path, { version: ANCIENT_DOCKER_VERSION }));
    const result = failed(
      await probeEngine(socketEndpoint(path, 'default-socket', 'Docker Engine', 'docker'), {
        platform: 'linux',
      }),
    );
    expect(result).toMatchObject({ code: 'engine-too-old', reason: 'api-too-old' });
    expect(result.message).toContain('1.24');
    expect(result.message).toContain(MIN_API_VERSION);
    expect(result.hint).toContain('19.03');
  });

  it('tells an HTTP server that is not an engine apart from an engine', async () => {
    const path = join(dir, 'web.sock');
    servers.push(await startFakeEngine(path, { pingStatus: 404 }));
    const result = failed(
      await probeEngine(socketEndpoint(path, 'pinned', 'Pinned engine', 'unknown')),
    );
    expect(result).toMatchObject({
      code: 'engine-unreachable',
      reason: 'not-an-engine',
      cause: 'HTTP 404',
    });
  });

  it('reports an engine answering its health check with HTTP 500 as failed, not absent', async () => {
    const path = join(dir, 'starting.sock');
    servers.push(await startFakeEngine(path, { pingStatus: 500 }));
    const result = failed(
      await probeEngine(socketEndpoint(path, 'docker-desktop', 'Docker Desktop', 'docker-desktop')),
    );
    expect(result).toMatchObject({ code: 'engine-failed', reason: 'engine-error' });
    expect(result.hint).toContain('starting');
  });

  it('classifies a TLS handshake with a plain-HTTP engine as a TLS failure', async () => {
    const fake = await startFakeEngine(
      { port: 0, host: '127.0.0.1' },
      { version: DOCKER_20_VERSION },
    );
    servers.push(fake);
    const endpoint = parseEngineHost(`tcp://127.0.0.1:${fake.port}`, {
      source: 'docker-host',
      label: 'DOCKER_HOST',
      tls: { verify: true },
    });
    expect(endpoint).toMatchObject({ transport: 'tcp', protocol: 'https' });
    const result = failed(await probeEngine(endpoint));
    expect(result).toMatchObject({ code: 'engine-unreachable', reason: 'tls' });
    expect(result.hint).toContain('DOCKER_CERT_PATH');
  });

  it('explains an ssh:// DOCKER_HOST instead of trying it, without the user name', async () => {
    const endpoint = parseEngineHost('ssh://deploy@build-box:2222', {
      source: 'docker-host',
      label: 'DOCKER_HOST',
    });
    const result = failed(await probeEngine(endpoint));
    expect(result).toMatchObject({ code: 'engine-unreachable', reason: 'unsupported-endpoint' });
    expect(result.message).toContain('ssh://build-box:2222');
    expect(result.message).not.toContain('deploy');
    expect(result.hint).toContain('ssh -NL');
  });

  it('reports a socket the user may not open as permission denied (probe run as nobody)', async () => {
    const path = join(dir, 'locked.sock');
    servers.push(await startFakeEngine(path, { version: DOCKER_20_VERSION }));

    // Control: the same socket, opened up, answers the unprivileged child.
    await chmod(path, 0o666);
    const open = await probeSocketAsUser(dir, path);
    expect(open).toMatchObject({ ok: true, apiVersion: '1.41' });

    await chmod(path, 0o000);
    const locked = failed(await probeSocketAsUser(dir, path));
    expect(locked).toMatchObject({
      code: 'engine-permission-denied',
      reason: 'permission-denied',
      cause: 'EACCES',
    });
    expect(locked.hint).toContain('sudo usermod -aG docker $USER');
    expect(locked.hint).toContain('log out');
  }, 30_000);
});
