/**
 * The worker's configuration, read from the environment the core sets (names in WORKER_ENV) and
 * the Redis password file. Everything is validated up front; a bad value becomes one readable
 * ConfigError line and exit code 78, never a stack trace.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { z } from 'zod';
import {
  REDIS_ALIAS,
  REDIS_CONTAINER_PORT,
  REDIS_PASSWORD_FILE,
  WORKER_ENV,
  parseQueueEntry,
} from '../../../main/shared/worker-contract';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface RedisEndpoint {
  /** Redis's unix socket (inside a cluster); null: connect to host:port. */
  socket: string | null;
  host: string;
  port: number;
  /** The ACL user (an external Redis's URL names one); undefined: Redis's default user. */
  username?: string | undefined;
  password: string;
  db?: number | undefined;
  /** For `rediss://`: verify the server against this CA (PEM). */
  tls?: { ca: string } | undefined;
  /** Where the password came from, for messages (the password itself is never shown). */
  passwordFile: string;
}

export interface WorkerConfig {
  cluster: string;
  workerName: string;
  /** The pool this worker belongs to (`worker`, the default pool, when unset). */
  pool: string;
  redis: RedisEndpoint;
  /**
   * Entries of GUILDHALL_QUEUES (`queue` or `queue=processor`); empty means every built-in plus
   * every processor file.
   */
  queues: string[];
  concurrency: number;
  processorsDir: string | null;
  shutdownGraceMs: number;
  /** Whether the built-in shell processor may run here (the pool's `shell`). */
  shell: boolean;
}

/** Names usable as cluster, worker (container) and queue names: no ':' (BullMQ's separator). */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const NAME_RULE = 'letters, digits, "_", "." and "-", starting with a letter or digit';

const DEFAULT_CONCURRENCY = 1;
const DEFAULT_SHUTDOWN_GRACE_MS = 30_000;

function optionalText() {
  return z
    .string()
    .optional()
    .transform((raw) => {
      const text = raw?.trim() ?? '';
      return text === '' ? undefined : text;
    });
}

function wholeNumber(min: number, max: number, fallback: number) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const text = raw?.trim() ?? '';
      if (text === '') return fallback;
      const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isSafeInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `expected a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return value;
    });
}

function name(what: string) {
  return z.string().regex(NAME_PATTERN, { error: `expected a ${what} name of ${NAME_RULE}` });
}

const passwordFileSchema = optionalText().pipe(
  z
    .string()
    .startsWith('/', { error: 'expected an absolute file path' })
    .default(REDIS_PASSWORD_FILE),
);

const redisEnvSchema = z.object({
  [WORKER_ENV.redisSocket]: optionalText().pipe(
    z.string().startsWith('/', { error: 'expected an absolute socket path' }).optional(),
  ),
  [WORKER_ENV.redisHost]: optionalText().pipe(z.string().default(REDIS_ALIAS)),
  [WORKER_ENV.redisPort]: wholeNumber(1, 65_535, REDIS_CONTAINER_PORT),
  [WORKER_ENV.redisPasswordFile]: passwordFileSchema,
  [WORKER_ENV.redisUrlFile]: optionalText().pipe(
    z.string().startsWith('/', { error: 'expected an absolute file path' }).optional(),
  ),
  [WORKER_ENV.redisCaFile]: optionalText().pipe(
    z.string().startsWith('/', { error: 'expected an absolute file path' }).optional(),
  ),
});

const workerEnvSchema = redisEnvSchema.extend({
  [WORKER_ENV.cluster]: optionalText().pipe(
    z.string({ error: 'is not set; expected the cluster name' }).pipe(name('cluster')),
  ),
  [WORKER_ENV.workerName]: optionalText().pipe(name('worker').default(() => hostname())),
  [WORKER_ENV.pool]: optionalText().pipe(name('pool').default('worker')),
  [WORKER_ENV.queues]: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const queues = (raw ?? '')
        .split(',')
        .map((queue) => queue.trim())
        .filter((queue) => queue !== '');
      for (const entry of queues) {
        const { queue, processor } = parseQueueEntry(entry);
        for (const [what, value] of [
          ['queue', queue],
          ['processor', processor],
        ] as const) {
          if (!NAME_PATTERN.test(value)) {
            ctx.addIssue({
              code: 'custom',
              message: `"${value}" is not a valid ${what} name; use ${NAME_RULE}`,
            });
          }
        }
      }
      const unique = [...new Set(queues)];
      const names = unique.map((entry) => parseQueueEntry(entry).queue);
      const twice = names.find((queue, i) => names.indexOf(queue) !== i);
      if (twice !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `queue "${twice}" is bound to two processors; give each queue one`,
        });
      }
      return unique;
    }),
  [WORKER_ENV.concurrency]: wholeNumber(1, 1_000, DEFAULT_CONCURRENCY),
  [WORKER_ENV.processorsDir]: optionalText().pipe(
    z.string().startsWith('/', { error: 'expected an absolute folder path' }).optional(),
  ),
  [WORKER_ENV.shutdownGraceMs]: wholeNumber(0, 3_600_000, DEFAULT_SHUTDOWN_GRACE_MS),
  [WORKER_ENV.shellOff]: optionalText().pipe(
    z.enum(['1'], { error: 'expected "1" (the pool runs no shell jobs) or nothing' }).optional(),
  ),
});

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const variable = issue.path[0];
      return `${variable === undefined ? 'environment' : String(variable)}: ${issue.message}`;
    })
    .join('; ');
}

function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.output<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(`invalid worker configuration: ${describeIssues(result.error)}`);
  }
  return result.data;
}

/**
 * Waits (up to `timeoutMs`) until the Redis password file exists, when its folder does. The core
 * writes it into the cluster's run volume just before Redis starts; a worker of a concurrent
 * `up`, or one whose volume is still being prepared, may look a moment early. A file whose folder
 * is missing is a wrong path, reported at once when the configuration loads.
 */
export async function waitForPasswordFile(
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  onWait: (path: string) => void,
): Promise<void> {
  // An external Redis's URL file is written before the container is created: nothing to wait for.
  if (env[WORKER_ENV.redisUrlFile]?.trim()) return;
  // An invalid path is reported when the configuration loads.
  const parsed = passwordFileSchema.safeParse(env[WORKER_ENV.redisPasswordFile]);
  if (!parsed.success || !existsSync(dirname(parsed.data))) return;
  const path = parsed.data;
  const deadline = Date.now() + timeoutMs;
  let told = false;
  while (!existsSync(path) && Date.now() < deadline) {
    if (!told) onWait(path);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Where Redis is, for messages. */
export function redisAddress(endpoint: RedisEndpoint): string {
  return endpoint.socket ?? `${endpoint.host}:${endpoint.port}`;
}

/** ioredis connection options for the endpoint: its socket, or host and port (ACL user, TLS). */
export function redisConnection(endpoint: RedisEndpoint):
  | { path: string; password: string }
  | {
      host: string;
      port: number;
      password: string;
      username?: string;
      db?: number;
      tls?: { ca: string };
    } {
  if (endpoint.socket !== null) return { path: endpoint.socket, password: endpoint.password };
  return {
    host: endpoint.host,
    port: endpoint.port,
    password: endpoint.password,
    ...(endpoint.username !== undefined ? { username: endpoint.username } : {}),
    ...(endpoint.db ? { db: endpoint.db } : {}),
    ...(endpoint.tls ? { tls: { ca: endpoint.tls.ca } } : {}),
  };
}

function readConfigFile(path: string, what: string, variable: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`cannot read the ${what} ${path} (${variable}): ${code}`);
  }
}

/**
 * The endpoint of a URL file (an external Redis): `redis[s]://[USER[:PASSWORD]@]HOST[:PORT][/DB]`;
 * `rediss://` needs the CA file. Messages never show the URL (the password is in it).
 */
export function endpointOfUrlFile(urlFile: string, caFile: string | undefined): RedisEndpoint {
  const text = readConfigFile(urlFile, 'Redis URL file', WORKER_ENV.redisUrlFile).trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`the Redis URL file ${urlFile} does not hold a URL`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(`the Redis URL in ${urlFile} must start with redis:// or rediss://`);
  }
  const tls = url.protocol === 'rediss:';
  if (tls && caFile === undefined) {
    throw new ConfigError(
      `the Redis URL in ${urlFile} is rediss:// but ${WORKER_ENV.redisCaFile} is not set`,
    );
  }
  const ca = tls && caFile ? readConfigFile(caFile, 'Redis CA file', WORKER_ENV.redisCaFile) : null;
  const db = Number(url.pathname.replace(/^\//, '') || '0');
  return {
    socket: null,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : REDIS_CONTAINER_PORT,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: decodeURIComponent(url.password),
    db: Number.isInteger(db) ? db : 0,
    ...(ca !== null ? { tls: { ca } } : {}),
    passwordFile: urlFile,
  };
}

/** Reads the password file: one line, surrounding whitespace ignored, must not be empty. */
export function readPasswordFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'the file does not exist'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a folder'
            : (code ?? 'unreadable');
    throw new ConfigError(
      `cannot read the Redis password file ${path} (${WORKER_ENV.redisPasswordFile}): ${reason}`,
    );
  }
  const password = text.trim();
  if (password === '') {
    throw new ConfigError(`the Redis password file ${path} is empty`);
  }
  if (/[\r\n]/.test(password)) {
    throw new ConfigError(`the Redis password file ${path} must hold a single line`);
  }
  return password;
}

/** Where Redis is and its password (read from the file), from the parsed environment. */
function endpointOf(parsed: z.output<typeof redisEnvSchema>): RedisEndpoint {
  const urlFile = parsed[WORKER_ENV.redisUrlFile];
  if (urlFile !== undefined) return endpointOfUrlFile(urlFile, parsed[WORKER_ENV.redisCaFile]);
  const passwordFile = parsed[WORKER_ENV.redisPasswordFile];
  return {
    socket: parsed[WORKER_ENV.redisSocket] ?? null,
    host: parsed[WORKER_ENV.redisHost],
    port: parsed[WORKER_ENV.redisPort],
    password: readPasswordFile(passwordFile),
    passwordFile,
  };
}

/** Just enough configuration to talk to Redis (used by --healthcheck). */
export function loadRedisEndpoint(env: NodeJS.ProcessEnv): RedisEndpoint {
  return endpointOf(parseEnv(redisEnvSchema, env));
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv): WorkerConfig {
  const parsed = parseEnv(workerEnvSchema, env);
  const processorsDir = parsed[WORKER_ENV.processorsDir] ?? null;
  if (processorsDir !== null) assertFolder(processorsDir);
  return {
    cluster: parsed[WORKER_ENV.cluster],
    workerName: parsed[WORKER_ENV.workerName],
    pool: parsed[WORKER_ENV.pool],
    redis: endpointOf(parsed),
    queues: parsed[WORKER_ENV.queues],
    concurrency: parsed[WORKER_ENV.concurrency],
    processorsDir,
    shutdownGraceMs: parsed[WORKER_ENV.shutdownGraceMs],
    shell: parsed[WORKER_ENV.shellOff] !== '1',
  };
}

function assertFolder(path: string): void {
  let isFolder: boolean;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) {
    throw new ConfigError(
      `the processors folder ${path} (${WORKER_ENV.processorsDir}) does not exist or is not a folder`,
    );
  }
}
