/**
 * The worker's console output: one timestamped line per event (the container log the core shows
 * with `guildhall logs`). Registered secrets are replaced by *** in everything that passes
 * through here, so the Redis password cannot leak into logs even through a library message.
 */

const secrets = new Set<string>();

export function registerSecret(secret: string): void {
  if (secret.length > 0) secrets.add(secret);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

function write(stream: NodeJS.WriteStream, level: string, message: string): void {
  stream.write(`${new Date().toISOString()} ${level} ${redact(message)}\n`);
}

export const log = {
  info(message: string): void {
    write(process.stdout, 'info ', message);
  },
  warn(message: string): void {
    write(process.stderr, 'warn ', message);
  },
  error(message: string): void {
    write(process.stderr, 'error', message);
  },
};

/** The message of anything thrown, without a stack. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Logs an error once per `windowMs` per distinct message (reconnect loops repeat themselves). */
export function createThrottledErrorLog(windowMs = 10_000): (message: string) => void {
  const lastLogged = new Map<string, number>();
  return (message: string) => {
    const now = Date.now();
    const last = lastLogged.get(message);
    if (last !== undefined && now - last < windowMs) return;
    lastLogged.set(message, now);
    if (lastLogged.size > 100) lastLogged.clear();
    log.error(message);
  };
}
