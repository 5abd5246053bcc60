/**
 * `--healthcheck`: exit 0 iff Redis answers PING, with the password, within 2 seconds. The core
 * sets this as the container's healthcheck, so it must be quick and must never print secrets.
 */
import { Redis } from 'ioredis';
import { loadRedisEndpoint, redisAddress, redisConnection } from './config';
import { errorMessage, redact, registerSecret } from './log';

export const HEALTHCHECK_TIMEOUT_MS = 2_000;

/** Returns the exit code: 0 healthy, 1 unhealthy (Docker reserves 2). */
export async function runHealthcheck(env: NodeJS.ProcessEnv): Promise<number> {
  let client: Redis | undefined;
  try {
    const endpoint = loadRedisEndpoint(env);
    registerSecret(endpoint.password);
    client = new Redis({
      ...redisConnection(endpoint),
      lazyConnect: true,
      connectTimeout: HEALTHCHECK_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    const connected = client;
    const pong = await withDeadline(
      connected.connect().then(() => connected.ping()),
      HEALTHCHECK_TIMEOUT_MS,
    );
    if (pong !== 'PONG') {
      process.stdout.write(`unhealthy: Redis answered ${JSON.stringify(pong)} to PING\n`);
      return 1;
    }
    process.stdout.write(`healthy: Redis at ${redisAddress(endpoint)} answered PING\n`);
    return 0;
  } catch (err) {
    process.stdout.write(`unhealthy: ${redact(errorMessage(err))}\n`);
    return 1;
  } finally {
    client?.disconnect();
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Redis did not answer PING within ${ms} ms`)),
      ms,
    );
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
