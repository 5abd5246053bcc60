/**
 * The ordered list of places a container engine may answer, the way a user expects them to be
 * tried: a pinned endpoint, DOCKER_HOST, the current Docker context, then the well-known sockets
 * and pipes of Docker Engine, Docker Desktop, Podman, Colima, Rancher Desktop and OrbStack.
 */
import { join } from 'node:path';
import { readCurrentDockerContext, dockerConfigDir } from './docker-context';
import { isPipePath, parseEngineHost, socketEndpoint, tlsFromCertDir } from './endpoint-address';
import { hostEnvironment, type HostEnvironment } from './host-environment';
import type { EngineCandidate, EngineEndpoint, EngineTls } from './types';

export interface CandidateOptions {
  /** An endpoint pinned in settings: an address string (`unix:///…`, `tcp://…`) or an endpoint. */
  pinned?: string | EngineEndpoint;
  /** Machine facts; defaults to the real machine. */
  host?: Partial<HostEnvironment>;
}

function isTruthyEnv(value: string | undefined): boolean {
  const v = value?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

/** TLS settings from DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH, as the Docker CLI reads them. */
export function tlsFromEnv(host: HostEnvironment): EngineTls | undefined {
  const verify = isTruthyEnv(host.env.DOCKER_TLS_VERIFY);
  if (!verify && !isTruthyEnv(host.env.DOCKER_TLS)) return undefined;
  const certDir = host.env.DOCKER_CERT_PATH?.trim() || dockerConfigDir(host);
  return tlsFromCertDir(certDir, verify);
}

export function pinnedCandidate(pinned: string | EngineEndpoint): EngineCandidate {
  if (typeof pinned !== 'string') return pinned;
  return parseEngineHost(pinned, { source: 'pinned', label: 'Pinned engine' });
}

export function dockerHostCandidate(host: HostEnvironment): EngineCandidate | undefined {
  const raw = host.env.DOCKER_HOST;
  if (raw === undefined || raw.trim() === '') return undefined;
  const tls = tlsFromEnv(host);
  return parseEngineHost(raw, {
    source: 'docker-host',
    label: 'DOCKER_HOST',
    ...(tls ? { tls } : {}),
  });
}

/** Sockets and pipes where engines listen by default on this platform, most common first. */
export function wellKnownCandidates(host: HostEnvironment): EngineCandidate[] {
  const { home, env, platform } = host;
  if (platform === 'win32') {
    return [
      socketEndpoint('//./pipe/docker_engine', 'windows-pipe', 'Docker Desktop', 'docker-desktop'),
      socketEndpoint(
        '//./pipe/dockerDesktopLinuxEngine',
        'windows-pipe',
        'Docker Desktop (Linux engine)',
        'docker-desktop',
      ),
      socketEndpoint('//./pipe/podman-machine-default', 'windows-pipe', 'Podman', 'podman'),
    ];
  }
  const list: EngineCandidate[] = [
    socketEndpoint(
      '/var/run/docker.sock',
      'default-socket',
      platform === 'darwin' ? 'Docker (default socket)' : 'Docker Engine',
      platform === 'darwin' ? 'docker-desktop' : 'docker',
    ),
    socketEndpoint(
      join(home, '.docker', 'run', 'docker.sock'),
      'docker-desktop',
      'Docker Desktop',
      'docker-desktop',
    ),
  ];
  if (platform === 'linux') {
    list.push(
      socketEndpoint(
        join(home, '.docker', 'desktop', 'docker.sock'),
        'docker-desktop',
        'Docker Desktop',
        'docker-desktop',
      ),
    );
  }
  const runtimeDir = env.XDG_RUNTIME_DIR?.trim();
  if (runtimeDir) {
    list.push(
      socketEndpoint(join(runtimeDir, 'podman', 'podman.sock'), 'podman', 'Podman', 'podman'),
    );
  }
  if (platform === 'linux') {
    list.push(socketEndpoint('/run/podman/podman.sock', 'podman', 'Podman (rootful)', 'podman'));
  }
  const colimaHome = env.COLIMA_HOME?.trim() || join(home, '.colima');
  list.push(
    socketEndpoint(join(colimaHome, 'default', 'docker.sock'), 'colima', 'Colima', 'colima'),
  );
  list.push(
    socketEndpoint(
      join(home, '.rd', 'docker.sock'),
      'rancher-desktop',
      'Rancher Desktop',
      'rancher-desktop',
    ),
  );
  if (platform === 'darwin') {
    list.push(
      socketEndpoint(
        join(home, '.orbstack', 'run', 'docker.sock'),
        'orbstack',
        'OrbStack',
        'orbstack',
      ),
    );
  }
  return list;
}

/** Key under which two candidates are the same engine (symlinked sockets resolve to one). */
function identityKey(candidate: EngineCandidate, host: HostEnvironment): string {
  if (candidate.transport !== 'socket') return candidate.id;
  if (isPipePath(candidate.socketPath)) return `pipe:${candidate.socketPath.toLowerCase()}`;
  return `unix:${host.fs.realpath(candidate.socketPath)}`;
}

/**
 * Removes later duplicates, keeping the first position. A generic default-socket entry that turns
 * out to be a product's socket (e.g. Docker Desktop's symlink on macOS) takes the product's name.
 */
export function dedupeCandidates(
  candidates: EngineCandidate[],
  host: HostEnvironment,
): EngineCandidate[] {
  const kept = new Map<string, EngineCandidate>();
  for (const candidate of candidates) {
    const key = identityKey(candidate, host);
    const first = kept.get(key);
    if (first === undefined) {
      kept.set(key, candidate);
    } else if (first.source === 'default-socket' && candidate.flavor !== 'unknown') {
      kept.set(key, { ...first, label: candidate.label, flavor: candidate.flavor });
    }
  }
  return [...kept.values()];
}

/** Every place to try, in order, without duplicates. Reads files but opens no connections. */
export function listEngineCandidates(opts: CandidateOptions = {}): EngineCandidate[] {
  const host = hostEnvironment(opts.host);
  const list: EngineCandidate[] = [];
  if (opts.pinned !== undefined) list.push(pinnedCandidate(opts.pinned));
  const fromEnv = dockerHostCandidate(host);
  if (fromEnv) list.push(fromEnv);
  const fromContext = readCurrentDockerContext(host);
  if (fromContext) list.push(fromContext);
  list.push(...wellKnownCandidates(host));
  return dedupeCandidates(list, host);
}
