/**
 * Turns what went wrong when talking to an engine into a classified failure: a stable error code,
 * a reason, a user-readable message and an OS-specific fix hint. Pure functions of
 * (error, context) — no I/O — so every branch is unit-testable with real captured errors.
 */
import { GuildhallError, isGuildhallError } from '../util/errors';
import { describeEndpoint, endpointAddress, isPipePath } from './endpoint-address';
import {
  TLS_HINT,
  engineErrorHint,
  hostUnreachableHint,
  notAnEngineHint,
  notInstalledHint,
  permissionHint,
  startHintFor,
  timeoutHint,
  tooOldHint,
} from './hints';
import type { EngineInstallation } from './installation';
import {
  DEFAULT_PROBE_TIMEOUT_MS,
  MIN_API_VERSION,
  type EngineEndpoint,
  type EngineFailure,
  type EngineFailureReason,
} from './types';

export interface ClassifyContext {
  endpoint: EngineEndpoint;
  platform: NodeJS.Platform;
  /** What is installed; undefined means "assume installed" (so we never claim it is not). */
  installation?: EngineInstallation;
  /** The probe's time limit, named in timeout messages. */
  timeoutMs?: number;
}

const TLS_CODES = new Set([
  'EPROTO',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
]);

const UNREACHABLE_CODES = new Set([
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);

interface ErrorFacts {
  codes: string[];
  names: string[];
  statusCode?: number;
  message: string;
}

/** Codes, names and HTTP status found on the error and its `cause` chain. */
export function errorFacts(error: unknown): ErrorFacts {
  const facts: ErrorFacts = { codes: [], names: [], message: '' };
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    const e = current as {
      code?: unknown;
      name?: unknown;
      statusCode?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (typeof e.code === 'string') facts.codes.push(e.code);
    if (typeof e.name === 'string') facts.names.push(e.name);
    if (typeof e.statusCode === 'number' && facts.statusCode === undefined)
      facts.statusCode = e.statusCode;
    if (facts.message === '' && typeof e.message === 'string') facts.message = e.message;
    current = e.cause;
  }
  if (facts.message === '' && typeof error === 'string') facts.message = error;
  return facts;
}

function isTlsCode(code: string): boolean {
  return (
    TLS_CODES.has(code) ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_TLS_') ||
    code.startsWith('CERT_')
  );
}

function failure(
  ctx: ClassifyContext,
  code: EngineFailure['code'],
  reason: EngineFailureReason,
  message: string,
  hint: string,
  cause?: string,
): EngineFailure {
  return {
    ok: false,
    endpoint: ctx.endpoint,
    code,
    reason,
    message,
    hint,
    ...(cause ? { cause } : {}),
  };
}

/** Classifies an error thrown while pinging / querying an engine. */
export function classifyEngineError(error: unknown, ctx: ClassifyContext): EngineFailure {
  const { endpoint, platform } = ctx;
  const where = describeEndpoint(endpoint);
  const address = endpointAddress(endpoint);

  if (endpoint.transport === 'unsupported') {
    return failure(
      ctx,
      'engine-unreachable',
      'unsupported-endpoint',
      endpoint.problem,
      endpoint.hint,
    );
  }
  if (isGuildhallError(error)) {
    return failure(ctx, error.code, 'invalid-config', error.message, error.hint ?? '');
  }

  const facts = errorFacts(error);
  const has = (code: string) => facts.codes.includes(code);
  const cause = facts.codes[0];

  if (facts.names.includes('TimeoutError') || has('ETIMEDOUT') || has('ESOCKETTIMEDOUT')) {
    const seconds = Math.round((ctx.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS) / 100) / 10;
    return failure(
      ctx,
      'engine-unreachable',
      'timeout',
      `${where} did not answer within ${seconds}s.`,
      timeoutHint(endpoint, platform),
      cause ?? 'TimeoutError',
    );
  }
  if (has('EACCES') || has('EPERM')) {
    return failure(
      ctx,
      'engine-permission-denied',
      'permission-denied',
      `Permission denied: your user may not use the container engine at ${address} (${endpoint.label}).`,
      permissionHint(endpoint, platform),
      cause,
    );
  }
  if (has('ENOENT')) {
    const kind =
      endpoint.transport === 'socket' && isPipePath(endpoint.socketPath) ? 'pipe' : 'socket';
    if (ctx.installation !== undefined && !ctx.installation.installed) {
      return failure(
        ctx,
        'engine-not-installed',
        'socket-missing',
        `No container engine was found: there is no engine ${kind} at ${address}, and neither Docker nor Podman is installed.`,
        notInstalledHint(platform),
        cause,
      );
    }
    return failure(
      ctx,
      'engine-not-running',
      'socket-missing',
      `${endpoint.label} is not running (there is no ${kind} at ${address}).`,
      startHintFor(endpoint, platform, ctx.installation),
      cause,
    );
  }
  if (has('ECONNREFUSED')) {
    return failure(
      ctx,
      'engine-not-running',
      'connection-refused',
      `${endpoint.label} is not running: the connection to ${address} was refused.`,
      startHintFor(endpoint, platform, ctx.installation),
      cause,
    );
  }
  if (facts.codes.some((c) => UNREACHABLE_CODES.has(c))) {
    return failure(
      ctx,
      'engine-unreachable',
      'host-unreachable',
      `${where} cannot be reached (${cause}).`,
      hostUnreachableHint(endpoint),
      cause,
    );
  }
  const tlsCode = facts.codes.find(isTlsCode);
  if (tlsCode !== undefined) {
    return failure(
      ctx,
      'engine-unreachable',
      'tls',
      `The secure (TLS) connection to ${where} failed (${tlsCode}).`,
      TLS_HINT,
      tlsCode,
    );
  }
  if (facts.statusCode !== undefined) {
    if (facts.statusCode >= 500) {
      return failure(
        ctx,
        'engine-failed',
        'engine-error',
        `${where} answered with an error (HTTP ${facts.statusCode}).`,
        engineErrorHint(endpoint, platform),
        `HTTP ${facts.statusCode}`,
      );
    }
    return failure(
      ctx,
      'engine-unreachable',
      'not-an-engine',
      `${where} answered, but not like a Docker-compatible engine (HTTP ${facts.statusCode}).`,
      notAnEngineHint(endpoint),
      `HTTP ${facts.statusCode}`,
    );
  }
  if (facts.codes.some((c) => c.startsWith('HPE_'))) {
    return failure(
      ctx,
      'engine-unreachable',
      'not-an-engine',
      `${where} answered, but not with HTTP; it is not a Docker-compatible engine.`,
      notAnEngineHint(endpoint),
      cause,
    );
  }
  const detail = cause ?? (facts.message.slice(0, 120) || 'unknown error');
  return failure(
    ctx,
    'engine-unreachable',
    'unknown',
    `Could not talk to ${where} (${detail}).`,
    timeoutHint(endpoint, platform),
    cause,
  );
}

/** Numeric comparison of API versions: "1.9" < "1.24" < "1.40". */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

/** A too-old failure when `apiVersion` is below MIN_API_VERSION; undefined when it is new enough. */
export function classifyApiVersion(
  apiVersion: string,
  engineVersion: string,
  ctx: ClassifyContext,
): EngineFailure | undefined {
  if (compareApiVersions(apiVersion, MIN_API_VERSION) >= 0) return undefined;
  const flavor = ctx.endpoint.flavor;
  const engine = flavor === 'podman' ? 'Podman' : 'Docker';
  return failure(
    ctx,
    'engine-too-old',
    'api-too-old',
    `${describeEndpoint(ctx.endpoint)} is too old: ${engine} ${engineVersion} speaks API ${apiVersion}, but Guildhall needs API ${MIN_API_VERSION} or newer.`,
    tooOldHint(flavor, ctx.platform),
    `API ${apiVersion}`,
  );
}

/** How much a failure tells the user; higher wins when several endpoints failed. */
const INFORMATIVENESS: Record<EngineFailureReason, number> = {
  'api-too-old': 100,
  'permission-denied': 90,
  'unsupported-endpoint': 85,
  'invalid-config': 85,
  'engine-error': 82,
  'not-an-engine': 80,
  tls: 75,
  timeout: 70,
  'connection-refused': 60,
  'host-unreachable': 50,
  unknown: 40,
  'socket-missing': 10,
};

/**
 * The failure to show when every endpoint failed: the most informative one (an engine that
 * answered but is too old beats a permission problem, which beats a refused connection, which
 * beats a missing socket); ties go to the earlier endpoint in discovery order.
 */
export function mostInformativeFailure(
  failures: readonly EngineFailure[],
): EngineFailure | undefined {
  let best: EngineFailure | undefined;
  for (const f of failures) {
    if (best === undefined || INFORMATIVENESS[f.reason] > INFORMATIVENESS[best.reason]) best = f;
  }
  return best;
}

/** The failure as the error the rest of the app throws. */
export function failureToError(f: EngineFailure): GuildhallError {
  return new GuildhallError(f.code, f.message, f.hint, {
    endpoint: f.endpoint.id,
    reason: f.reason,
    ...(f.cause ? { cause: f.cause } : {}),
  });
}

/** An endpoint that answered HTTP but whose /version is not a Docker engine's. */
export function notAnEngineFailure(ctx: ClassifyContext, detail: string): EngineFailure {
  return failure(
    ctx,
    'engine-unreachable',
    'not-an-engine',
    `${describeEndpoint(ctx.endpoint)} answered, but not like a Docker-compatible engine (${detail}).`,
    notAnEngineHint(ctx.endpoint),
    detail,
  );
}
