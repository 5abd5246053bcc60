/**
 * Shapes shared by engine discovery, probing and connection: where an engine may be reached
 * (an endpoint / candidate), what a probe learned, and how a failure was classified.
 */
import type { ErrorCode } from '../util/errors';

/** Oldest Docker Engine API Guildhall talks to (Docker 19.03). */
export const MIN_API_VERSION = '1.40';

/** Default time one probe (ping + version) may take. */
export const DEFAULT_PROBE_TIMEOUT_MS = 3_000;

/** Where a candidate came from, in discovery order. */
export type EngineSource =
  | 'pinned'
  | 'docker-host'
  | 'docker-context'
  | 'default-socket'
  | 'docker-desktop'
  | 'podman'
  | 'colima'
  | 'rancher-desktop'
  | 'orbstack'
  | 'windows-pipe';

/** Which product most likely serves an endpoint; drives start/permission hints. */
export type EngineFlavor =
  'docker' | 'docker-desktop' | 'podman' | 'colima' | 'rancher-desktop' | 'orbstack' | 'unknown';

interface EndpointBase {
  /** Stable identity, e.g. `unix:///var/run/docker.sock`; two candidates with one id are one engine. */
  id: string;
  /** Human name: "Docker Desktop", "Podman", "DOCKER_HOST", "Docker context 'colima'"… */
  label: string;
  source: EngineSource;
  flavor: EngineFlavor;
}

/** A unix socket, or a Windows named pipe (`//./pipe/...`). */
export interface SocketEndpoint extends EndpointBase {
  transport: 'socket';
  socketPath: string;
}

/** TLS material for a tcp endpoint, as file paths (read when connecting). */
export interface EngineTls {
  /** Verify the server certificate against `caFile`. */
  verify: boolean;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export interface TcpEndpoint extends EndpointBase {
  transport: 'tcp';
  host: string;
  port: number;
  protocol: 'http' | 'https';
  tls?: EngineTls;
}

/**
 * An endpoint Guildhall cannot use (ssh://, a malformed DOCKER_HOST, a broken Docker context).
 * Kept in the list so the user learns why their configured engine is not used.
 */
export interface UnsupportedEndpoint extends EndpointBase {
  transport: 'unsupported';
  /** The configured address with any credentials removed. */
  address: string;
  problem: string;
  hint: string;
}

export type EngineEndpoint = SocketEndpoint | TcpEndpoint | UnsupportedEndpoint;
/** A place discovery suggests trying; the same shape as an endpoint. */
export type EngineCandidate = EngineEndpoint;

export type EngineName = 'docker' | 'podman';

/** What a successful probe learned about the engine. */
export interface EngineInfo {
  /** Engine version, e.g. "20.10.24" or "4.9.3". */
  version: string;
  /** Engine API version, e.g. "1.41". */
  apiVersion: string;
  os: string;
  arch: string;
  engineName: EngineName;
}

/** Finer reason behind a failure code; lets callers rank and explain failures. */
export type EngineFailureReason =
  | 'socket-missing'
  | 'connection-refused'
  | 'permission-denied'
  | 'timeout'
  | 'host-unreachable'
  | 'tls'
  | 'api-too-old'
  | 'not-an-engine'
  | 'engine-error'
  | 'unsupported-endpoint'
  | 'invalid-config'
  | 'unknown';

export interface EngineFailure {
  ok: false;
  endpoint: EngineEndpoint;
  code: ErrorCode;
  reason: EngineFailureReason;
  message: string;
  hint: string;
  /** Low-level error code (ENOENT, EACCES…) when there was one. */
  cause?: string;
}

export interface EngineSuccess extends EngineInfo {
  ok: true;
  endpoint: EngineEndpoint;
}

export type ProbeResult = EngineSuccess | EngineFailure;
