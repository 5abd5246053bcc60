/**
 * Engine checks: reachable, API version supported, socket permission, whether the docker CLI
 * (DOCKER_HOST / current context) talks to the same engine Guildhall uses, and whether the engine
 * starts containers (engine-starts.ts).
 */
import { dockerHostCandidate } from '../../engine/candidates';
import { readCurrentDockerContext } from '../../engine/docker-context';
import { describeEndpoint, endpointAddress, socketEndpoint } from '../../engine/endpoint-address';
import { hostEnvironment, type HostEnvironment } from '../../engine/host-environment';
import { MIN_API_VERSION, type EngineEndpoint } from '../../engine/types';
import { failed, passed, skipped, warning, type DiagnosticCheck, type FixAction } from '../types';
import { engineStartsContainersCheck } from './engine-starts';

const RETRY: FixAction = { id: 'retry', label: 'Check again' };

const NOT_CHECKED = 'The engine could not be reached (see "Container engine reachable").';

function hintLines(hint: string | undefined): string[] {
  return hint ? [`Fix: ${hint}`] : [];
}

export const engineReachableCheck: DiagnosticCheck = {
  id: 'engine.reachable',
  category: 'engine',
  title: 'Container engine reachable',
  documentation:
    'Guildhall runs Redis and the workers as containers, so it needs a Docker-compatible engine that answers. It uses the engine pinned in Settings, else DOCKER_HOST, else the first engine found.',
  applicable: () => true,
  async check(ctx) {
    const engine = await ctx.engine();
    if (engine.ok) {
      const { info, endpoint } = engine.connection;
      return passed(
        `Connected to ${info.engineName === 'podman' ? 'Podman' : 'Docker'} ${info.version} (API ${info.apiVersion}) at ${describeEndpoint(endpoint)}.`,
      );
    }
    const tried =
      (engine.error.details?.tried as { endpoint: string; reason: string }[] | undefined) ?? [];
    return failed(
      engine.error.message,
      [RETRY],
      [...hintLines(engine.error.hint), ...tried.map((t) => `Tried ${t.endpoint}: ${t.reason}`)],
    );
  },
};

export const engineApiVersionCheck: DiagnosticCheck = {
  id: 'engine.api-version',
  category: 'engine',
  title: 'Engine API version supported',
  documentation: `Guildhall speaks Docker Engine API ${MIN_API_VERSION} or newer (Docker 19.03+, Podman 3+).`,
  applicable: () => true,
  async check(ctx) {
    const engine = await ctx.engine();
    if (engine.ok) {
      return passed(
        `The engine speaks API ${engine.connection.info.apiVersion}; Guildhall needs ${MIN_API_VERSION} or newer.`,
      );
    }
    if (engine.error.code === 'engine-too-old') {
      return failed(engine.error.message, [RETRY], hintLines(engine.error.hint));
    }
    return skipped(NOT_CHECKED);
  },
};

export const socketPermissionCheck: DiagnosticCheck = {
  id: 'engine.socket-permission',
  category: 'engine',
  title: 'Permission to use the engine socket',
  documentation:
    'On Linux the engine socket belongs to root and the docker group; a user outside that group gets "permission denied" (EACCES).',
  applicable: () => true,
  async check(ctx) {
    const engine = await ctx.engine();
    if (engine.ok) {
      const endpoint = engine.connection.endpoint;
      if (endpoint.transport !== 'socket') {
        return skipped(
          `The engine is reached over TCP (${endpointAddress(endpoint)}); no socket is used.`,
        );
      }
      return passed(`Your user may use ${endpointAddress(endpoint)}.`);
    }
    const reason = engine.error.details?.reason;
    if (engine.error.code === 'engine-permission-denied' || reason === 'permission-denied') {
      return failed(engine.error.message, [RETRY], hintLines(engine.error.hint));
    }
    return skipped(NOT_CHECKED);
  },
};

export interface DockerCliTarget {
  endpoint: EngineEndpoint;
  /** What selects it: "DOCKER_HOST", "Docker context 'x'", "the default socket". */
  selectedBy: string;
}

/** The engine the `docker` CLI would use in this environment, the way the CLI chooses it. */
export function dockerCliTarget(host: HostEnvironment): DockerCliTarget {
  const fromEnv = dockerHostCandidate(host);
  if (fromEnv) return { endpoint: fromEnv, selectedBy: 'DOCKER_HOST' };
  const fromContext = readCurrentDockerContext(host);
  if (fromContext) return { endpoint: fromContext, selectedBy: fromContext.label };
  const socket =
    host.platform === 'win32'
      ? socketEndpoint('//./pipe/docker_engine', 'windows-pipe', 'Docker Desktop', 'docker-desktop')
      : socketEndpoint('/var/run/docker.sock', 'default-socket', 'Docker', 'docker');
  return { endpoint: socket, selectedBy: 'the default socket' };
}

function sameEngine(a: EngineEndpoint, b: EngineEndpoint, host: HostEnvironment): boolean {
  if (a.transport === 'socket' && b.transport === 'socket') {
    return host.fs.realpath(a.socketPath) === host.fs.realpath(b.socketPath);
  }
  return endpointAddress(a) === endpointAddress(b);
}

export const dockerCliTargetCheck: DiagnosticCheck = {
  id: 'engine.docker-cli-target',
  category: 'engine',
  title: 'docker CLI uses the same engine',
  documentation:
    'When DOCKER_HOST or the current Docker context points at another engine than the one Guildhall uses, `docker ps` and Docker Desktop do not show the cluster, and containers seem to be missing.',
  applicable: () => true,
  async check(ctx) {
    const engine = await ctx.engine();
    if (!engine.ok) return skipped(NOT_CHECKED);
    const host = hostEnvironment({ env: ctx.env });
    const target = dockerCliTarget(host);
    const ours = engine.connection.endpoint;
    if (sameEngine(ours, target.endpoint, host)) {
      return passed(`The docker CLI (${target.selectedBy}) and Guildhall use the same engine.`);
    }
    const pinned = (await ctx.settings()).engine.pinned;
    return warning(
      `Guildhall uses ${describeEndpoint(ours)}, but the docker CLI uses ${endpointAddress(target.endpoint)} (${target.selectedBy}): \`docker ps\` will not show the cluster.`,
      [],
      [
        pinned
          ? `Guildhall is pinned to ${pinned} in Settings.`
          : 'Guildhall chose its engine by discovery.',
        'Fix: point both at one engine — unset DOCKER_HOST or run `docker context use <name>`, or pin the engine you want in Settings.',
      ],
    );
  },
};

export const ENGINE_CHECKS: DiagnosticCheck[] = [
  engineReachableCheck,
  engineApiVersionCheck,
  socketPermissionCheck,
  dockerCliTargetCheck,
  engineStartsContainersCheck,
];
