/**
 * What went wrong when the engine created or started one of the cluster's containers, as a
 * GuildhallError with the cause in words and the fix. Engines answer these with an HTTP 500 and
 * the runtime's text (Docker and Podman word them differently); the patterns below are matched
 * against that text, and each is unit-tested with the text a real engine sent. Pure: no I/O.
 */
import { GuildhallError, type ErrorCode } from '../util/errors';

export type ContainerAction = 'create' | 'start';

/** Why a container could not be created or started, when Guildhall recognises it. */
export type ContainerFailureReason =
  'rlimits' | 'init-binary-missing' | 'image-missing' | 'command-not-found' | 'unknown';

export interface ContainerFailureContext {
  action: ContainerAction;
  /** The container's name, e.g. guildhall-redis-1. */
  name: string;
  /** The image the container runs, named in image problems. */
  image?: string;
}

interface Pattern {
  reason: Exclude<ContainerFailureReason, 'unknown'>;
  code: ErrorCode;
  test: RegExp;
  message: (ctx: ContainerFailureContext, detail: string) => string;
  hint: (ctx: ContainerFailureContext) => string;
}

/**
 * The engine's default rlimits for containers (nofile, nproc) are higher than the engine itself
 * may set: a root without CAP_SYS_RESOURCE, as in some CI sandboxes and nested containers.
 * Podman: "error setting rlimits for ready process: error setting rlimit type 7: operation not
 * permitted"; Docker's runc words it the same way.
 */
export const RLIMITS_HINT =
  'Give the engine default limits it may set: in Podman\'s containers.conf (/etc/containers/containers.conf, or the file named by CONTAINERS_CONF), under [containers], set default_ulimits = ["nofile=N:N", "nproc=M:M"] with N and M at most the engine\'s own hard limits (`ulimit -Hn`, `ulimit -Hu` where it runs), then restart the engine (`podman system service`) and run `guildhall up` again. For Docker: dockerd\'s default-ulimits in /etc/docker/daemon.json.';

const PATTERNS: Pattern[] = [
  {
    reason: 'rlimits',
    code: 'engine-failed',
    test: /error setting rlimit.*operation not permitted/is,
    message: (ctx, detail) =>
      `The engine could not ${ctx.action} ${ctx.name}: it is not allowed to apply its default resource limits (rlimits) to containers (${detail}).`,
    hint: () => RLIMITS_HINT,
  },
  {
    reason: 'init-binary-missing',
    code: 'engine-failed',
    test: /container-init binary not found/i,
    message: (ctx, detail) =>
      `The engine could not ${ctx.action} ${ctx.name}: it was asked for its init process, and its init binary is missing (${detail}).`,
    hint: () =>
      "Install the engine's init binary (Podman: `sudo apt-get install catatonit`, or set init_path in containers.conf), or update Guildhall, which no longer asks for it.",
  },
  {
    reason: 'image-missing',
    code: 'image-missing',
    test: /no such image/i,
    message: (ctx, detail) =>
      `The engine could not ${ctx.action} ${ctx.name}: its image${ctx.image ? ` ${ctx.image}` : ''} is not there (${detail}).`,
    hint: () =>
      'Run `guildhall up` again: it pulls or builds the images first. If an image was removed meanwhile, check `docker images` (or `podman images`).',
  },
  {
    reason: 'command-not-found',
    code: 'image-missing',
    test: /executable file not found/i,
    message: (ctx, detail) =>
      `The engine could not ${ctx.action} ${ctx.name}: its image${ctx.image ? ` ${ctx.image}` : ''} lacks the program the container runs (${detail}).`,
    hint: () =>
      'Check the image in Settings: the Redis image must provide `redis-server`, and the worker base image `node` and /bin/sh on PATH.',
  },
];

/**
 * Whether a create failed because the name is taken. Docker answers 409; Podman 4.3 answers 500
 * "…the container name "x" is already in use by <id>…".
 */
export function isNameConflict(error: unknown): boolean {
  if ((error as { statusCode?: unknown })?.statusCode === 409) return true;
  return /container name .* is already in use/i.test(engineErrorText(error));
}

/** The engine's own words, without dockerode's "(HTTP code 500) server error - " prefix. */
export function engineErrorText(error: unknown): string {
  const message = (error as { message?: unknown })?.message;
  const text = typeof message === 'string' ? message : String(error);
  return text
    .replace(/^\(HTTP code \d+\)[^-]*- /, '')
    .split('\n')[0]!
    .trim();
}

/** The part of the engine's text that names the cause: from "error setting rlimit…" on, etc. */
function causeDetail(text: string, pattern: RegExp): string {
  const match = pattern.exec(text);
  const from = match ? text.lastIndexOf(':', match.index) : -1;
  const detail = from >= 0 && match && from < match.index ? text.slice(from + 1).trim() : text;
  return detail.length > 240 ? `${detail.slice(0, 237)}...` : detail;
}

/** Classifies an error the engine answered to a container create or start. */
export function classifyContainerError(
  error: unknown,
  ctx: ContainerFailureContext,
): GuildhallError {
  const text = engineErrorText(error);
  for (const pattern of PATTERNS) {
    if (!pattern.test.test(text)) continue;
    return new GuildhallError(
      pattern.code,
      pattern.message(ctx, causeDetail(text, pattern.test)),
      pattern.hint(ctx),
      { reason: pattern.reason, container: ctx.name, action: ctx.action },
    );
  }
  return new GuildhallError(
    'engine-failed',
    `The engine could not ${ctx.action} ${ctx.name}: ${text}`,
    'See `guildhall doctor` (it tries a container start and names the cause), and the engine’s own log.',
    { reason: 'unknown', container: ctx.name, action: ctx.action },
  );
}

/** The reason a classified container error carries, or null for other errors. */
export function containerFailureReason(error: unknown): ContainerFailureReason | null {
  const reason = (error as GuildhallError)?.details?.reason;
  return typeof reason === 'string' &&
    ['rlimits', 'init-binary-missing', 'image-missing', 'command-not-found', 'unknown'].includes(
      reason,
    )
    ? (reason as ContainerFailureReason)
    : null;
}
