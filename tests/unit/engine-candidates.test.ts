/**
 * Discovery order, Docker contexts, DOCKER_HOST parsing and de-duplication, all against real
 * files in temporary directories (home, DOCKER_CONFIG, cert folders, symlinked sockets).
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listEngineCandidates } from '../../main/engine/candidates';
import { contextMetaPath, contextTlsDir } from '../../main/engine/docker-context';
import { dockerodeOptions } from '../../main/engine/dockerode-options';
import {
  describeEndpoint,
  endpointAddress,
  parseEngineHost,
} from '../../main/engine/endpoint-address';
import { detectEngineInstallation } from '../../main/engine/installation';
import type { EngineCandidate } from '../../main/engine/types';
import { GuildhallError } from '../../main/util/errors';
import { makeTempDir, removeDir } from './engine-test-servers';

let root: string;
let home: string;

beforeEach(async () => {
  root = await makeTempDir();
  home = join(root, 'home');
  await mkdir(home);
});

afterEach(async () => {
  await removeDir(root);
});

async function writeContext(configDir: string, name: string, host: string, skipTlsVerify = false) {
  const metaPath = contextMetaPath(configDir, name);
  await mkdir(join(metaPath, '..'), { recursive: true });
  await writeFile(
    metaPath,
    JSON.stringify({
      Name: name,
      Metadata: {},
      Endpoints: { docker: { Host: host, SkipTLSVerify: skipTlsVerify } },
    }),
  );
}

const sources = (list: EngineCandidate[]) => list.map((c) => c.source);
const ids = (list: EngineCandidate[]) => list.map((c) => c.id);

describe('listEngineCandidates', () => {
  it('lists pinned, DOCKER_HOST, context, then well-known sockets in order (Linux)', async () => {
    await writeContext(join(home, '.docker'), 'lab', 'unix:///srv/lab/docker.sock');
    await writeFile(
      join(home, '.docker', 'config.json'),
      JSON.stringify({ currentContext: 'lab' }),
    );
    const list = listEngineCandidates({
      pinned: 'unix:///opt/pinned.sock',
      host: {
        home,
        platform: 'linux',
        env: { DOCKER_HOST: 'tcp://10.0.0.5:2375', XDG_RUNTIME_DIR: join(root, 'run') },
      },
    });
    expect(sources(list)).toEqual([
      'pinned',
      'docker-host',
      'docker-context',
      'default-socket',
      'docker-desktop',
      'docker-desktop',
      'podman',
      'podman',
      'colima',
      'rancher-desktop',
    ]);
    expect(ids(list).slice(0, 4)).toEqual([
      'unix:///opt/pinned.sock',
      'tcp://10.0.0.5:2375',
      'unix:///srv/lab/docker.sock',
      'unix:///var/run/docker.sock',
    ]);
    expect(list[2]?.label).toBe("Docker context 'lab'");
    expect(ids(list)).toContain(`unix://${join(root, 'run', 'podman', 'podman.sock')}`);
    expect(ids(list)).toContain(`unix://${join(home, '.colima', 'default', 'docker.sock')}`);
  });

  it('uses macOS locations (Docker Desktop, OrbStack) and Windows named pipes', () => {
    const mac = listEngineCandidates({ host: { home, platform: 'darwin', env: {} } });
    expect(mac.map((c) => c.label)).toEqual([
      'Docker (default socket)',
      'Docker Desktop',
      'Colima',
      'Rancher Desktop',
      'OrbStack',
    ]);
    expect(ids(mac)).toContain(`unix://${join(home, '.orbstack', 'run', 'docker.sock')}`);

    const win = listEngineCandidates({ host: { home, platform: 'win32', env: {} } });
    expect(ids(win)).toEqual([
      'npipe:////./pipe/docker_engine',
      'npipe:////./pipe/dockerDesktopLinuxEngine',
      'npipe:////./pipe/podman-machine-default',
    ]);
  });

  it('merges a DOCKER_HOST that names a well-known pipe or socket into one candidate', async () => {
    const win = listEngineCandidates({
      host: { home, platform: 'win32', env: { DOCKER_HOST: 'npipe:////./pipe/docker_engine' } },
    });
    expect(win).toHaveLength(3);
    expect(win[0]).toMatchObject({ source: 'docker-host', socketPath: '//./pipe/docker_engine' });

    // Docker Desktop on macOS: /var/run/docker.sock is a symlink to ~/.docker/run/docker.sock.
    const real = join(home, '.docker', 'run', 'docker.sock');
    await mkdir(join(real, '..'), { recursive: true });
    await writeFile(real, '');
    const link = join(root, 'var-run-docker.sock');
    await symlink(real, link);
    const list = listEngineCandidates({
      pinned: link,
      host: { home, platform: 'darwin', env: { DOCKER_HOST: `unix://${real}` } },
    });
    expect(
      list.filter(
        (c) => c.transport === 'socket' && (c.socketPath === real || c.socketPath === link),
      ),
    ).toHaveLength(1);
    expect(list[0]?.source).toBe('pinned');
  });

  it('honours DOCKER_CONFIG and DOCKER_CONTEXT over config.json', async () => {
    const configDir = join(root, 'docker-config');
    await writeContext(configDir, 'from-file', 'unix:///srv/file.sock');
    await writeContext(configDir, 'from-env', 'unix:///srv/env.sock');
    await writeFile(
      join(configDir, 'config.json'),
      JSON.stringify({ currentContext: 'from-file' }),
    );
    const fromFile = listEngineCandidates({
      host: { home, platform: 'linux', env: { DOCKER_CONFIG: configDir } },
    });
    expect(fromFile.find((c) => c.source === 'docker-context')?.id).toBe('unix:///srv/file.sock');
    const fromEnv = listEngineCandidates({
      host: {
        home,
        platform: 'linux',
        env: { DOCKER_CONFIG: configDir, DOCKER_CONTEXT: 'from-env' },
      },
    });
    expect(fromEnv.find((c) => c.source === 'docker-context')?.id).toBe('unix:///srv/env.sock');
  });

  it('stores contexts under the sha256 of their name, like the Docker CLI', () => {
    const hash = createHash('sha256').update('colima').digest('hex');
    expect(contextMetaPath('/cfg', 'colima')).toBe(`/cfg/contexts/meta/${hash}/meta.json`);
  });

  it('adds nothing for the default context, and explains a context that does not exist', async () => {
    await mkdir(join(home, '.docker'), { recursive: true });
    await writeFile(
      join(home, '.docker', 'config.json'),
      JSON.stringify({ currentContext: 'default' }),
    );
    expect(
      sources(listEngineCandidates({ host: { home, platform: 'linux', env: {} } })),
    ).not.toContain('docker-context');

    const list = listEngineCandidates({
      host: { home, platform: 'linux', env: { DOCKER_CONTEXT: 'gone' } },
    });
    const broken = list.find((c) => c.source === 'docker-context');
    expect(broken).toMatchObject({ transport: 'unsupported', label: "Docker context 'gone'" });
    if (broken?.transport !== 'unsupported') throw new Error('expected unsupported');
    expect(broken.problem).toContain("'gone'");
    expect(broken.hint).toContain('DOCKER_CONTEXT');
  });

  it('reads a TLS context with its certificates and SkipTLSVerify', async () => {
    const configDir = join(home, '.docker');
    await writeContext(configDir, 'remote', 'tcp://engine.example:2376', true);
    const tlsDir = contextTlsDir(configDir, 'remote');
    await mkdir(tlsDir, { recursive: true });
    await writeFile(join(tlsDir, 'ca.pem'), 'CA');
    const list = listEngineCandidates({
      host: { home, platform: 'linux', env: { DOCKER_CONTEXT: 'remote' } },
    });
    expect(list.find((c) => c.source === 'docker-context')).toMatchObject({
      transport: 'tcp',
      host: 'engine.example',
      port: 2376,
      protocol: 'https',
      tls: { verify: false, caFile: join(tlsDir, 'ca.pem') },
    });
  });

  it('reads DOCKER_TLS_VERIFY and DOCKER_CERT_PATH and never keeps URL credentials', () => {
    const list = listEngineCandidates({
      host: {
        home,
        platform: 'linux',
        env: {
          DOCKER_HOST: 'tcp://admin:hunter2@10.1.2.3',
          DOCKER_TLS_VERIFY: '1',
          DOCKER_CERT_PATH: '/certs',
        },
      },
    });
    expect(list[0]).toMatchObject({
      source: 'docker-host',
      transport: 'tcp',
      host: '10.1.2.3',
      port: 2376,
      protocol: 'https',
      tls: {
        verify: true,
        caFile: '/certs/ca.pem',
        certFile: '/certs/cert.pem',
        keyFile: '/certs/key.pem',
      },
    });
    const shown = JSON.stringify(list) + list.map(describeEndpoint).join();
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('admin');
  });
});

describe('parseEngineHost and display', () => {
  const parse = (raw: string) => parseEngineHost(raw, { source: 'pinned' });

  it('understands the address forms users write', () => {
    expect(parse('unix:///var/run/docker.sock')).toMatchObject({
      transport: 'socket',
      socketPath: '/var/run/docker.sock',
    });
    expect(parse('/run/user/1000/podman/podman.sock')).toMatchObject({ transport: 'socket' });
    expect(parse('npipe:////./pipe/docker_engine')).toMatchObject({
      socketPath: '//./pipe/docker_engine',
    });
    expect(parse('\\\\.\\pipe\\docker_engine')).toMatchObject({
      socketPath: '//./pipe/docker_engine',
    });
    expect(parse('tcp://127.0.0.1:2375')).toMatchObject({
      transport: 'tcp',
      port: 2375,
      protocol: 'http',
    });
    expect(parse('localhost:2375')).toMatchObject({
      transport: 'tcp',
      host: 'localhost',
      port: 2375,
    });
    expect(parse('tcp://box')).toMatchObject({ port: 2375, protocol: 'http' });
    expect(parse('tcp://box:2376')).toMatchObject({ protocol: 'https' });
    expect(parse('https://box')).toMatchObject({ port: 2376, protocol: 'https' });
    expect(parse('tcp://[::1]:2375')).toMatchObject({ host: '::1', id: 'tcp://[::1]:2375' });
    expect(parse('fd://')).toMatchObject({ transport: 'unsupported' });
    expect(parse('')).toMatchObject({ transport: 'unsupported' });
    expect(parse('ssh://me@host')).toMatchObject({
      transport: 'unsupported',
      address: 'ssh://host',
    });
  });

  it('prints endpoints back as addresses and one-line descriptions', () => {
    const desktop = parseEngineHost('unix:///Users/a/.docker/run/docker.sock', {
      source: 'docker-desktop',
      label: 'Docker Desktop',
    });
    expect(endpointAddress(desktop)).toBe('unix:///Users/a/.docker/run/docker.sock');
    expect(describeEndpoint(desktop)).toBe(
      'Docker Desktop (unix:///Users/a/.docker/run/docker.sock)',
    );
    expect(describeEndpoint(parse('tcp://box:2376'))).toBe('tcp://box:2376 (tcp://box:2376, TLS)');
    expect(describeEndpoint(parse('npipe:////./pipe/docker_engine'))).toBe(
      'npipe:////./pipe/docker_engine',
    );
  });
});

describe('dockerodeOptions', () => {
  it('maps a socket and clears every inherited connection default', () => {
    const options = dockerodeOptions(
      parseEngineHost('unix:///var/run/docker.sock', { source: 'pinned' }),
    );
    expect(options).toMatchObject({ socketPath: '/var/run/docker.sock', protocol: 'http' });
    expect(Object.keys(options)).toEqual(
      expect.arrayContaining(['host', 'port', 'ca', 'cert', 'key']),
    );
    expect(options.host).toBeUndefined();
  });

  it('loads TLS files and refuses a verified endpoint whose CA file is missing', async () => {
    const certs = join(root, 'certs');
    await mkdir(certs);
    for (const f of ['ca.pem', 'cert.pem', 'key.pem'])
      await writeFile(join(certs, f), `${f}-content`);
    const env = {
      DOCKER_HOST: 'tcp://user:pw@box:2376',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: certs,
    };
    const endpoint = listEngineCandidates({ host: { home, platform: 'linux', env } })[0];
    if (!endpoint) throw new Error('no candidate');
    const options = dockerodeOptions(endpoint);
    expect(options).toMatchObject({ host: 'box', port: 2376, protocol: 'https' });
    expect(String(options.ca)).toBe('ca.pem-content');
    expect(String(options.key)).toBe('key.pem-content');

    const noCerts = listEngineCandidates({
      host: { home, platform: 'linux', env: { ...env, DOCKER_CERT_PATH: join(root, 'nowhere') } },
    })[0];
    if (!noCerts) throw new Error('no candidate');
    let thrown: unknown;
    try {
      dockerodeOptions(noCerts);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GuildhallError);
    expect(thrown).toMatchObject({ code: 'engine-unreachable' });
    expect((thrown as GuildhallError).message).toContain('ca.pem');
    expect((thrown as GuildhallError).message).not.toContain('pw');
    expect((thrown as GuildhallError).hint).toContain('DOCKER_CERT_PATH');
  });
});

describe('detectEngineInstallation', () => {
  it('finds engine programs on PATH only when they are executable', async () => {
    const bin = join(root, 'bin');
    await mkdir(bin);
    const empty = detectEngineInstallation({ home, platform: 'linux', env: { PATH: bin } });
    expect(empty).toEqual({ installed: false, found: [] });

    await writeFile(join(bin, 'docker'), '#!/bin/sh\n');
    expect(
      detectEngineInstallation({ home, platform: 'linux', env: { PATH: bin } }).installed,
    ).toBe(false);

    await writeFile(join(bin, 'podman'), '#!/bin/sh\n');
    await chmod(join(bin, 'podman'), 0o755);
    const podman = detectEngineInstallation({
      home,
      platform: 'linux',
      env: { PATH: `/nonexistent:${bin}` },
    });
    expect(podman.installed).toBe(true);
    expect(podman.found).toEqual([
      { flavor: 'podman', what: 'podman on PATH', path: join(bin, 'podman') },
    ]);
  });

  it('finds the Docker Desktop app in the user’s Applications folder on macOS', async () => {
    await mkdir(join(home, 'Applications', 'Docker.app'), { recursive: true });
    const found = detectEngineInstallation({ home, platform: 'darwin', env: { PATH: '' } });
    expect(found.installed).toBe(true);
    expect(found.found[0]).toMatchObject({
      flavor: 'docker-desktop',
      path: join(home, 'Applications', 'Docker.app'),
    });
  });
});
