/**
 * Real servers and real child processes for engine tests: a fake Docker API (a real HTTP server
 * on a unix socket or TCP port), a server that accepts but never answers, and a probe run as an
 * unprivileged user (so file permissions apply even though tests run as root).
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { ProbeResult } from '../../main/engine/types';

export async function makeTempDir(prefix = 'gh-engine-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755); // let the unprivileged child traverse it
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export interface FakeEngineOptions {
  /** Body of GET /version; undefined answers 404 like a non-engine HTTP server. */
  version?: Record<string, unknown>;
  /** Status for GET /_ping (default 200). */
  pingStatus?: number;
  /** Milliseconds before /version answers (Podman's runs two programs first). */
  versionDelayMs?: number;
}

export const DOCKER_20_VERSION = {
  Platform: { Name: 'Docker Engine - Community' },
  Components: [{ Name: 'Engine', Version: '20.10.24' }],
  Version: '20.10.24',
  ApiVersion: '1.41',
  MinAPIVersion: '1.12',
  Os: 'linux',
  Arch: 'amd64',
};

export const PODMAN_VERSION = {
  Platform: { Name: 'linux/amd64/fedora-39' },
  Components: [{ Name: 'Podman Engine', Version: '4.9.3' }],
  Version: '4.9.3',
  ApiVersion: '1.41',
  Os: 'linux',
  Arch: 'arm64',
};

export const ANCIENT_DOCKER_VERSION = {
  Version: '1.12.6',
  ApiVersion: '1.24',
  Os: 'linux',
  Arch: 'amd64',
};

export interface Closable {
  close(): Promise<void>;
}

/** A real HTTP server speaking just enough of the Docker API: /_ping and /version. */
export async function startFakeEngine(
  listenOn: string | { port: 0; host: '127.0.0.1' },
  opts: FakeEngineOptions,
): Promise<Closable & { server: HttpServer; port?: number }> {
  const server = createHttpServer((req, res) => {
    const path = (req.url ?? '').replace(/^\/v\d+\.\d+/, '');
    if (path.startsWith('/_ping')) {
      res.writeHead(opts.pingStatus ?? 200, { 'Content-Type': 'text/plain' });
      res.end(opts.pingStatus && opts.pingStatus >= 400 ? 'nope' : 'OK');
    } else if (path.startsWith('/version') && opts.version) {
      const body = JSON.stringify(opts.version);
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(body);
      }, opts.versionDelayMs ?? 0);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 page not found');
    }
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (typeof listenOn === 'string') server.listen(listenOn, resolve);
    else server.listen(listenOn.port, listenOn.host, resolve);
  });
  const address = server.address();
  return {
    server,
    ...(address && typeof address === 'object' ? { port: address.port } : {}),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A server that accepts connections and never says a word. */
export async function startSilentServer(
  socketPath: string,
): Promise<Closable & { server: NetServer }> {
  const held = new Set<Socket>();
  const server = createNetServer((socket) => {
    held.add(socket);
    socket.on('close', () => held.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, resolve);
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of held) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedTcpPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address !== 'object') throw new Error('no port');
  return address.port;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Bundles a tiny program that runs probeEngine on a socket path and prints the result as JSON,
 * then runs it as `uid`/`gid` (default nobody). Returns the probe result the child saw.
 */
export async function probeSocketAsUser(
  workDir: string,
  socketPath: string,
  { uid = 65534, gid = 65534, timeoutMs = 3000 } = {},
): Promise<ProbeResult> {
  const bundle = join(workDir, 'probe-as-user.cjs');
  const entry = `
    import { probeEngine } from ${JSON.stringify(join(repoRoot, 'main/engine/probe.ts'))};
    import { socketEndpoint } from ${JSON.stringify(join(repoRoot, 'main/engine/endpoint-address.ts'))};
    (async () => {
      const endpoint = socketEndpoint(process.argv[2], 'pinned', 'Test engine', 'docker');
      const result = await probeEngine(endpoint, { timeoutMs: Number(process.argv[3]), platform: 'linux' });
      process.stdout.write(JSON.stringify(result));
    })();
  `;
  await build({
    stdin: { contents: entry, resolveDir: repoRoot, loader: 'ts', sourcefile: 'probe-as-user.ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile: bundle,
    logLevel: 'silent',
  });
  await chmod(bundle, 0o644);
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [bundle, socketPath, String(timeoutMs)],
      {
        uid,
        gid,
        cwd: workDir,
        env: { NODE_PATH: join(repoRoot, 'node_modules'), PATH: process.env.PATH ?? '' },
        timeout: 20_000,
      },
      (error, out, err) =>
        error ? reject(new Error(`child failed: ${error.message}\n${err}`)) : resolve(out),
    );
  });
  return JSON.parse(stdout) as ProbeResult;
}
