/**
 * classifyEngineError is a pure function; here it is fed REAL errors captured from real
 * connection attempts and checked for the codes, messages and OS-specific hints users rely on.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classifyApiVersion,
  classifyEngineError,
  compareApiVersions,
  failureToError,
  mostInformativeFailure,
} from '../../main/engine/classify';
import { dockerodeOptions } from '../../main/engine/dockerode-options';
import { parseEngineHost, socketEndpoint } from '../../main/engine/endpoint-address';
import type { EngineEndpoint, EngineFailure } from '../../main/engine/types';
import { closedTcpPort, makeTempDir, removeDir } from './engine-test-servers';

let dir: string;
let missingSocketError: unknown;
let refusedError: unknown;
let dnsError: unknown;
let tcpRefusedError: unknown;
let tcpPort: number;
const desktop = (path: string) =>
  socketEndpoint(path, 'docker-desktop', 'Docker Desktop', 'docker-desktop');
const tcpEndpoint = () =>
  parseEngineHost(`tcp://127.0.0.1:${tcpPort}`, { source: 'docker-host', label: 'DOCKER_HOST' });
const engine = (path: string) => socketEndpoint(path, 'default-socket', 'Docker Engine', 'docker');

async function captureError(endpoint: EngineEndpoint): Promise<unknown> {
  try {
    await new Dockerode(dockerodeOptions(endpoint)).ping();
  } catch (error) {
    return error;
  }
  throw new Error('expected the connection to fail');
}

beforeAll(async () => {
  dir = await makeTempDir();
  missingSocketError = await captureError(engine(join(dir, 'missing.sock')));
  await writeFile(join(dir, 'stale.sock'), '');
  refusedError = await captureError(engine(join(dir, 'stale.sock')));
  tcpPort = await closedTcpPort();
  tcpRefusedError = await captureError(tcpEndpoint());
  dnsError = await captureError(
    parseEngineHost('tcp://guildhall-engine.invalid:2375', {
      source: 'docker-host',
      label: 'DOCKER_HOST',
    }),
  );
});

afterAll(async () => {
  await removeDir(dir);
});

describe('classifyEngineError with real errors', () => {
  it('gives a start hint for the user’s OS when the socket is missing', () => {
    const path = join(dir, 'missing.sock');
    const linux = classifyEngineError(missingSocketError, {
      endpoint: engine(path),
      platform: 'linux',
    });
    expect(linux.code).toBe('engine-not-running');
    expect(linux.hint).toContain('sudo systemctl start docker');

    const mac = classifyEngineError(missingSocketError, {
      endpoint: desktop(path),
      platform: 'darwin',
    });
    expect(mac.code).toBe('engine-not-running');
    expect(mac.hint).toContain('Start Docker Desktop');
    expect(mac.hint).not.toContain('systemctl');

    const windows = classifyEngineError(missingSocketError, {
      endpoint: engine(path),
      platform: 'win32',
    });
    expect(windows.hint).toContain('Start Docker Desktop');
  });

  it('says "not installed" only when nothing is installed', () => {
    const endpoint = engine(join(dir, 'missing.sock'));
    const none = classifyEngineError(missingSocketError, {
      endpoint,
      platform: 'darwin',
      installation: { installed: false, found: [] },
    });
    expect(none.code).toBe('engine-not-installed');
    expect(none.hint).toContain('Install Docker Desktop');

    const podmanOnly = classifyEngineError(missingSocketError, {
      endpoint,
      platform: 'linux',
      installation: {
        installed: true,
        found: [{ flavor: 'podman', what: 'podman on PATH', path: '/usr/bin/podman' }],
      },
    });
    expect(podmanOnly.code).toBe('engine-not-running');
    // The Docker socket is missing but only Podman is installed: tell the user how to start Podman.
    expect(podmanOnly.hint).toContain('systemctl --user enable --now podman.socket');
  });

  it('uses the product’s own start command', () => {
    const colima = socketEndpoint(join(dir, 'missing.sock'), 'colima', 'Colima', 'colima');
    expect(
      classifyEngineError(missingSocketError, { endpoint: colima, platform: 'darwin' }).hint,
    ).toContain('colima start');
    const podman = socketEndpoint(join(dir, 'missing.sock'), 'podman', 'Podman', 'podman');
    expect(
      classifyEngineError(refusedError, { endpoint: podman, platform: 'darwin' }).hint,
    ).toContain('podman machine start');
  });

  it('classifies a refused connection as not running', () => {
    const result = classifyEngineError(refusedError, {
      endpoint: engine(join(dir, 'stale.sock')),
      platform: 'linux',
    });
    expect(result).toMatchObject({
      code: 'engine-not-running',
      reason: 'connection-refused',
      cause: 'ECONNREFUSED',
    });
  });

  it('tells a user with a remote engine to check that host, not to start Docker locally', () => {
    const result = classifyEngineError(tcpRefusedError, {
      endpoint: tcpEndpoint(),
      platform: 'linux',
    });
    expect(result).toMatchObject({ code: 'engine-not-running', reason: 'connection-refused' });
    expect(result.hint).toContain(`listening on port ${tcpPort}`);
    expect(result.hint).not.toContain('systemctl');
  });

  it('classifies an unknown host as unreachable', () => {
    const endpoint = parseEngineHost('tcp://guildhall-engine.invalid:2375', {
      source: 'docker-host',
      label: 'DOCKER_HOST',
    });
    const result = classifyEngineError(dnsError, { endpoint, platform: 'linux' });
    expect(result).toMatchObject({ code: 'engine-unreachable', reason: 'host-unreachable' });
    expect(result.hint).toContain('guildhall-engine.invalid');
  });

  it('gives Windows users the docker-users group hint for a denied pipe', () => {
    const denied = Object.assign(new Error('connect EACCES //./pipe/docker_engine'), {
      code: 'EACCES',
      syscall: 'connect',
    });
    const pipe = socketEndpoint(
      '//./pipe/docker_engine',
      'windows-pipe',
      'Docker Desktop',
      'docker-desktop',
    );
    const result = classifyEngineError(denied, { endpoint: pipe, platform: 'win32' });
    expect(result.code).toBe('engine-permission-denied');
    expect(result.hint).toContain('docker-users');
  });
});

describe('API version checks', () => {
  it('compares versions numerically, not as text', () => {
    expect(compareApiVersions('1.9', '1.40')).toBeLessThan(0);
    expect(compareApiVersions('1.41', '1.40')).toBeGreaterThan(0);
    expect(compareApiVersions('1.40', '1.40')).toBe(0);
    expect(compareApiVersions('2.0', '1.99')).toBeGreaterThan(0);
  });

  it('accepts the minimum and rejects anything below it', () => {
    const ctx = { endpoint: engine('/var/run/docker.sock'), platform: 'linux' as const };
    expect(classifyApiVersion('1.40', '19.03.0', ctx)).toBeUndefined();
    expect(classifyApiVersion('1.39', '18.09.0', ctx)).toMatchObject({ code: 'engine-too-old' });
  });
});

describe('choosing what to tell the user when every endpoint failed', () => {
  it('prefers a permission problem on an existing socket over missing sockets, and ties to discovery order', () => {
    const missingFirst = classifyEngineError(missingSocketError, {
      endpoint: engine('/a.sock'),
      platform: 'linux',
    });
    const missingSecond = classifyEngineError(missingSocketError, {
      endpoint: desktop('/b.sock'),
      platform: 'linux',
    });
    const denied = classifyEngineError(
      Object.assign(new Error('connect EACCES /c.sock'), { code: 'EACCES' }),
      {
        endpoint: engine('/c.sock'),
        platform: 'linux',
      },
    );
    const refused = classifyEngineError(refusedError, {
      endpoint: engine('/d.sock'),
      platform: 'linux',
    });
    expect(mostInformativeFailure([missingFirst, denied, missingSecond])?.code).toBe(
      'engine-permission-denied',
    );
    expect(mostInformativeFailure([missingFirst, refused, missingSecond])?.reason).toBe(
      'connection-refused',
    );
    expect(mostInformativeFailure([missingFirst, missingSecond])?.endpoint.id).toBe(
      'unix:///a.sock',
    );
    expect(mostInformativeFailure([])).toBeUndefined();
  });

  it('turns a failure into a GuildhallError carrying code, message and hint', () => {
    const failure: EngineFailure = classifyEngineError(refusedError, {
      endpoint: engine('/d.sock'),
      platform: 'linux',
    });
    const error = failureToError(failure);
    expect(error.code).toBe('engine-not-running');
    expect(error.message).toBe(failure.message);
    expect(error.hint).toBe(failure.hint);
    expect(error.details).toMatchObject({
      endpoint: 'unix:///d.sock',
      reason: 'connection-refused',
    });
  });
});
