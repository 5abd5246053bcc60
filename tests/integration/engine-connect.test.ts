/**
 * Engine discovery and connection against the real Docker engine at /var/run/docker.sock.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine, discoverEngines } from '../../main/engine/connect';
import { GuildhallError } from '../../main/util/errors';
import { makeTempDir, probeSocketAsUser, removeDir } from '../unit/engine-test-servers';

const REAL_SOCKET = '/var/run/docker.sock';
let dir: string;
let cliVersion: string;
let cliApiVersion: string;

beforeAll(async () => {
  dir = await makeTempDir('gh-engine-it-');
  const out = execFileSync(
    'docker',
    ['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}'],
    {
      encoding: 'utf8',
      env: { ...process.env, DOCKER_HOST: `unix://${REAL_SOCKET}` },
    },
  ).trim();
  [cliVersion = '', cliApiVersion = ''] = out.split(' ');
});

afterAll(async () => {
  await removeDir(dir);
});

describe('engine connection (real engine)', () => {
  it('finds and connects to the local engine, reporting what the docker CLI reports', async () => {
    const connection = await connectEngine({ env: { PATH: process.env.PATH }, home: dir });
    expect(connection.endpoint).toMatchObject({ transport: 'socket', socketPath: REAL_SOCKET });
    expect(connection.info).toMatchObject({
      ok: true,
      engineName: 'docker',
      version: cliVersion,
      apiVersion: cliApiVersion,
      os: 'linux',
    });
    // The client is live: it can read engine-wide information.
    const info = (await connection.docker.info()) as { ServerVersion?: string };
    expect(info.ServerVersion).toBe(cliVersion);
  });

  it('connects through DOCKER_HOST=unix:///var/run/docker.sock', async () => {
    const connection = await connectEngine({
      env: { DOCKER_HOST: `unix://${REAL_SOCKET}`, PATH: process.env.PATH },
      home: dir,
    });
    expect(connection.endpoint.source).toBe('docker-host');
    expect(connection.info.apiVersion).toBe(cliApiVersion);
  });

  it('does not fall back to the working engine when a dead socket is pinned', async () => {
    const dead = join(dir, 'dead.sock');
    let error: unknown;
    try {
      await connectEngine({ pinned: `unix://${dead}`, env: { PATH: process.env.PATH }, home: dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GuildhallError);
    const e = error as GuildhallError;
    expect(['engine-not-running', 'engine-not-installed']).toContain(e.code);
    expect(e.message).toContain(dead);
    expect(e.details?.tried).toHaveLength(1);
  });

  it('lists the real engine among the discovered ones', async () => {
    const results = await discoverEngines({ env: { PATH: process.env.PATH }, home: dir });
    const real = results.find((r) => r.endpoint.id === `unix://${REAL_SOCKET}`);
    expect(real).toMatchObject({ ok: true, apiVersion: cliApiVersion });
  });

  it('reports permission denied to a user outside the docker group', async () => {
    // Precondition of this machine: the engine socket is not open to everyone.
    expect(statSync(REAL_SOCKET).mode & 0o006).toBe(0);
    const result = await probeSocketAsUser(dir, REAL_SOCKET);
    expect(result).toMatchObject({ ok: false, code: 'engine-permission-denied', cause: 'EACCES' });
    if (!result.ok) expect(result.hint).toContain('sudo usermod -aG docker $USER');
  });
});
