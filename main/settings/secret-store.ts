/**
 * Secrets (the Redis password) live apart from settings. The headless faces use a JSON file
 * readable only by the user (0600); the Electron face can supply an encrypting store instead.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { readFileIfExists, writeFileAtomic } from './atomic-file';

export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  /** Every stored secret value, so writers of logs can remove them all (optional for stores that cannot list). */
  values?(): Promise<string[]>;
}

const secretsFileSchema = z.record(z.string(), z.string());

export class FileSecretStore implements SecretStore {
  constructor(private readonly file: string) {}

  async get(key: string): Promise<string | null> {
    return (await this.readAll())[key] ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    const all = await this.readAll();
    all[key] = value;
    await writeFileAtomic(this.file, `${JSON.stringify(all, null, 2)}\n`, 0o600);
  }

  async values(): Promise<string[]> {
    return Object.values(await this.readAll()).filter((value) => value.length > 0);
  }

  private async readAll(): Promise<Record<string, string>> {
    const text = await readFileIfExists(this.file);
    if (text === null) return {};
    try {
      return secretsFileSchema.parse(JSON.parse(text));
    } catch {
      // A damaged secrets file only holds generated values; a new password is generated and
      // the Redis container is recreated with it (data on the volume is kept).
      return {};
    }
  }
}

export function redisPasswordKey(cluster: string): string {
  return `redis-password:${cluster}`;
}

/** Returns the cluster's Redis password, generating and storing one on first use. */
export async function ensureRedisPassword(store: SecretStore, cluster: string): Promise<string> {
  const existing = await store.get(redisPasswordKey(cluster));
  if (existing) return existing;
  const password = randomBytes(24).toString('hex');
  await store.set(redisPasswordKey(cluster), password);
  return password;
}
