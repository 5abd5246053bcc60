/**
 * Connecting to the container engine: try the discovered endpoints in order and keep the first
 * that answers, or explain — with the most informative classified error — why none did. Also
 * probes every endpoint at once for the setup wizard's "which engines were found" list.
 */
import type Dockerode from 'dockerode';
import { GuildhallError } from '../util/errors';
import { noProgress, progress, type ProgressSink } from '../util/progress';
import { dockerHostCandidate, listEngineCandidates, pinnedCandidate } from './candidates';
import { failureToError, mostInformativeFailure } from './classify';
import { describeEndpoint } from './endpoint-address';
import { hostEnvironment, type EnvVars, type HostFileSystem } from './host-environment';
import { detectEngineInstallation, type EngineInstallation } from './installation';
import { notInstalledHint } from './hints';
import { probeEngineWithClient, type ProbeOptions } from './probe';
import {
  DEFAULT_PROBE_TIMEOUT_MS,
  type EngineCandidate,
  type EngineEndpoint,
  type EngineFailure,
  type EngineSuccess,
  type ProbeResult,
} from './types';

export interface ConnectOptions {
  /** An endpoint pinned in settings; when given, only it is tried. */
  pinned?: string | EngineEndpoint;
  env?: EnvVars;
  home?: string;
  platform?: NodeJS.Platform;
  fs?: HostFileSystem;
  /** Time limit per endpoint. */
  timeoutMs?: number;
  /** Try exactly these endpoints instead of discovering them. */
  candidates?: EngineCandidate[];
  /** What is installed; detected from PATH and app folders when not given. */
  installation?: EngineInstallation;
  onProgress?: ProgressSink;
}

export interface EngineConnection {
  docker: Dockerode;
  endpoint: EngineEndpoint;
  info: EngineSuccess;
}

/** Where the engine is and what it said it is, without its client (for the layers above). */
export type EngineSummary = Omit<EngineConnection, 'docker'>;

interface Plan {
  candidates: EngineCandidate[];
  probe: ProbeOptions;
}

function plan(opts: ConnectOptions, honourPinnedOnly: boolean): Plan {
  const host = hostEnvironment({
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.home ? { home: opts.home } : {}),
    ...(opts.platform ? { platform: opts.platform } : {}),
    ...(opts.fs ? { fs: opts.fs } : {}),
  });
  // Like the docker CLI, an explicit choice is the only one tried: a pinned endpoint, else
  // DOCKER_HOST. Falling back silently to another engine would surprise the user.
  const fromEnv =
    honourPinnedOnly && opts.pinned === undefined ? dockerHostCandidate(host) : undefined;
  const candidates =
    opts.candidates ??
    (honourPinnedOnly && opts.pinned !== undefined
      ? [pinnedCandidate(opts.pinned)]
      : fromEnv
        ? [fromEnv]
        : listEngineCandidates({
            ...(opts.pinned !== undefined ? { pinned: opts.pinned } : {}),
            host,
          }));
  return {
    candidates,
    probe: {
      timeoutMs: opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
      platform: host.platform,
      installation: opts.installation ?? detectEngineInstallation(host),
    },
  };
}

/**
 * Connects to the first endpoint that answers. A pinned endpoint is the only one tried. Throws
 * the most informative classified GuildhallError when none answers.
 */
export async function connectEngine(opts: ConnectOptions = {}): Promise<EngineConnection> {
  const sink = opts.onProgress ?? noProgress;
  const { candidates, probe } = plan(opts, true);
  const failures: EngineFailure[] = [];
  for (const endpoint of candidates) {
    const target = describeEndpoint(endpoint);
    progress(sink, 'engine', target, 'running');
    const { result, docker } = await probeEngineWithClient(endpoint, probe);
    if (result.ok && docker) {
      progress(sink, 'engine', target, 'done', {
        message: `${result.engineName} ${result.version} (API ${result.apiVersion})`,
      });
      return { docker, endpoint, info: result };
    }
    if (!result.ok) {
      failures.push(result);
      progress(sink, 'engine', target, 'failed', { message: result.message });
    }
  }
  throw connectionError(failures, probe.platform ?? process.platform);
}

function connectionError(failures: EngineFailure[], platform: NodeJS.Platform): GuildhallError {
  const best = mostInformativeFailure(failures);
  if (best === undefined) {
    return new GuildhallError(
      'engine-not-installed',
      'No container engine endpoint was found to try.',
      notInstalledHint(platform),
    );
  }
  const base = failureToError(best);
  return new GuildhallError(base.code, base.message, base.hint, {
    ...base.details,
    tried: failures.map((f) => ({ endpoint: f.endpoint.id, code: f.code, reason: f.reason })),
  });
}

/**
 * Probes every discovered endpoint in parallel; results come back in discovery order. The pinned
 * endpoint, when given, is listed first among the others.
 */
export async function discoverEngines(opts: ConnectOptions = {}): Promise<ProbeResult[]> {
  const { candidates, probe } = plan(opts, false);
  return Promise.all(
    candidates.map((endpoint) => probeEngineWithClient(endpoint, probe).then((p) => p.result)),
  );
}

/** True when something is at the endpoint (it answered, or failed for a reason other than absence). */
export function isEnginePresent(result: ProbeResult): boolean {
  return result.ok || result.reason !== 'socket-missing';
}
