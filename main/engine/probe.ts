/**
 * Probes one endpoint: ping within the time limit, then version (with some grace: see
 * VERSION_GRACE_MS). Answers with what the engine is (version, API version, OS, arch, docker or
 * podman) or a classified failure; never throws.
 */
import Dockerode from 'dockerode';
import { z } from 'zod';
import { GuildhallError } from '../util/errors';
import {
  classifyApiVersion,
  classifyEngineError,
  notAnEngineFailure,
  type ClassifyContext,
} from './classify';
import { dockerodeOptions, type ReadFile } from './dockerode-options';
import type { EngineInstallation } from './installation';
import {
  DEFAULT_PROBE_TIMEOUT_MS,
  type EngineEndpoint,
  type EngineName,
  type ProbeResult,
} from './types';

export interface ProbeOptions {
  timeoutMs?: number;
  /** Platform whose hints to give; defaults to this machine's. */
  platform?: NodeJS.Platform;
  /** What is installed, to tell "not running" from "not installed"; undefined assumes installed. */
  installation?: EngineInstallation;
  readFile?: ReadFile;
}

const versionSchema = z.looseObject({
  Version: z.string(),
  ApiVersion: z.string().regex(/^\d+\.\d+/),
  Os: z.string().optional(),
  Arch: z.string().optional(),
  Platform: z.looseObject({ Name: z.string().optional() }).optional(),
  Components: z.array(z.looseObject({ Name: z.string().optional() })).nullish(),
});

type VersionResponse = z.infer<typeof versionSchema>;

/** 'podman' when the engine names itself Podman in Components or Platform, else 'docker'. */
export function engineNameFromVersion(version: VersionResponse): EngineName {
  const names = [version.Platform?.Name, ...(version.Components ?? []).map((c) => c.Name)];
  return names.some((name) => name !== undefined && /podman/i.test(name)) ? 'podman' : 'docker';
}

type WithSignal = (opts: { abortSignal: AbortSignal }) => Promise<unknown>;

/**
 * Extra time for /version once the engine has answered the ping. Podman's /version runs
 * `conmon --version` and its OCI runtime's `--version` on every call: 1–1.5 s, at times over 3 s,
 * on a 2-core host under load (its /_ping: 10 ms), where a 3 s limit called a working engine
 * unreachable.
 */
export const VERSION_GRACE_MS = 10_000;

/** Runs `work` with an abort signal; rejects with a TimeoutError after `timeoutMs`. */
async function withDeadline<T>(
  timeoutMs: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DOMException(`No answer within ${timeoutMs} ms`, 'TimeoutError');
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A dockerode client for the endpoint. docker-modem reads this process's DOCKER_HOST and
 * DOCKER_CERT_PATH while constructing; a failure there is a configuration problem, not a missing
 * engine, so it is reported as one.
 */
function createClient(endpoint: EngineEndpoint, readFile: ReadFile | undefined): Dockerode {
  const options = dockerodeOptions(endpoint, readFile);
  try {
    return new Dockerode(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new GuildhallError(
      'engine-unreachable',
      `The engine client could not be set up from this process's Docker settings (${code}).`,
      'Check DOCKER_HOST and DOCKER_CERT_PATH in your environment: DOCKER_CERT_PATH must hold ca.pem, cert.pem and key.pem.',
    );
  }
}

export interface ProbeWithClient {
  result: ProbeResult;
  /** The client used, when the endpoint answered. */
  docker?: Dockerode;
}

/** Probes and also hands back the dockerode client that reached the engine. */
export async function probeEngineWithClient(
  endpoint: EngineEndpoint,
  opts: ProbeOptions = {},
): Promise<ProbeWithClient> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const ctx: ClassifyContext = {
    endpoint,
    platform: opts.platform ?? process.platform,
    timeoutMs,
    ...(opts.installation ? { installation: opts.installation } : {}),
  };
  let docker: Dockerode;
  try {
    docker = createClient(endpoint, opts.readFile);
  } catch (error) {
    return { result: classifyEngineError(error, ctx) };
  }
  try {
    await withDeadline(timeoutMs, (abortSignal) =>
      (docker.ping as unknown as WithSignal).call(docker, { abortSignal }),
    );
  } catch (error) {
    return { result: classifyEngineError(error, ctx) };
  }
  // An engine that answered the ping is there; its /version may still be slow (see
  // VERSION_GRACE_MS), so it gets more time than the ping.
  const versionTimeoutMs = timeoutMs + VERSION_GRACE_MS;
  let raw: unknown;
  try {
    raw = await withDeadline(versionTimeoutMs, (abortSignal) =>
      (docker.version as unknown as WithSignal).call(docker, { abortSignal }),
    );
  } catch (error) {
    return { result: classifyEngineError(error, { ...ctx, timeoutMs: versionTimeoutMs }) };
  }
  const parsed = versionSchema.safeParse(raw);
  if (!parsed.success) {
    return { result: notAnEngineFailure(ctx, '/version has no Version and ApiVersion') };
  }
  const version = parsed.data;
  const tooOld = classifyApiVersion(version.ApiVersion, version.Version, ctx);
  if (tooOld) return { result: tooOld };
  return {
    docker,
    result: {
      ok: true,
      endpoint,
      version: version.Version,
      apiVersion: version.ApiVersion,
      os: version.Os ?? 'unknown',
      arch: version.Arch ?? 'unknown',
      engineName: engineNameFromVersion(version),
    },
  };
}

/** Pings an endpoint and reads its version; a classified failure when that does not work. */
export async function probeEngine(
  endpoint: EngineEndpoint,
  opts: ProbeOptions = {},
): Promise<ProbeResult> {
  return (await probeEngineWithClient(endpoint, opts)).result;
}
