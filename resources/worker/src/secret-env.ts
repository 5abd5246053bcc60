/**
 * The pool's secrets as env vars for the code jobs run: shell commands and processor files. The
 * core writes one read-only file per secret into GUILDHALL_SECRETS_DIR (the pool's secrets volume,
 * /run/secrets/NAME); the worker reads them once, gives them to each job's child process (never
 * to its own environment) and registers every value with the log, which replaces it by ***.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { WORKER_ENV } from '../../../main/shared/worker-contract';
import { log, registerSecret } from './log';

/** A file name usable as an env var name (the core names secrets that way). */
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

let cached: Readonly<Record<string, string>> | null = null;

/** Reads the secrets folder named in `env` (none: no secrets). */
export function readSecretEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const dir = env[WORKER_ENV.secretsDir]?.trim();
  if (!dir) return {};
  const secrets: Record<string, string> = {};
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    log.warn(`cannot read the secrets folder ${dir}; jobs get no secrets`);
    return {};
  }
  for (const name of names.sort()) {
    if (!SECRET_NAME.test(name)) continue;
    try {
      secrets[name] = readFileSync(path.join(dir, name), 'utf8');
    } catch {
      log.warn(`cannot read the secret file ${path.join(dir, name)}`);
    }
  }
  return secrets;
}

/** The pool's secrets (read on first use), each value registered as a secret with the log. */
export function secretEnv(): Readonly<Record<string, string>> {
  if (cached === null) {
    cached = readSecretEnv(process.env);
    for (const value of Object.values(cached)) {
      registerSecret(value);
      registerSecret(value.trim());
    }
  }
  return cached;
}
