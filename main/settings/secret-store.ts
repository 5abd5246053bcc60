/**
 * Secrets live apart from settings: the Redis password of each cluster, and the user's own
 * secrets that pools name (user-secrets.ts). The headless faces use a JSON file readable only by
 * the user (0600); the Electron face can supply an encrypting store instead.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { z } from 'zod';
import { readFileIfExists, writeFileAtomic } from './atomic-file';

export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  /** Removes a key; true when it was there. */
  remove(key: string): Promise<boolean>;
  /** Every key held (never the values). */
  keys(): Promise<string[]>;
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
    const all = await this.readForChange();
    all[key] = value;
    await this.writeAll(all);
  }

  async remove(key: string): Promise<boolean> {
    const all = await this.readForChange();
    if (!(key in all)) return false;
    delete all[key];
    await this.writeAll(all);
    return true;
  }

  async keys(): Promise<string[]> {
    return Object.keys(await this.readAll());
  }

  async values(): Promise<string[]> {
    return Object.values(await this.readAll()).filter((value) => value.length > 0);
  }

  private async writeAll(all: Record<string, string>): Promise<void> {
    await writeFileAtomic(this.file, `${JSON.stringify(all, null, 2)}\n`, 0o600);
  }

  /**
   * The secrets before a change. A damaged file is kept beside it (`.damaged-<time>`, 0600) before
   * it is replaced, so the user's own secrets in it are not lost for good.
   */
  private async readForChange(): Promise<Record<string, string>> {
    const text = await readFileIfExists(this.file);
    if (text === null) return {};
    const parsed = parseSecrets(text);
    if (parsed !== null) return parsed;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await fs.rename(this.file, `${this.file}.damaged-${stamp}`);
    return {};
  }

  private async readAll(): Promise<Record<string, string>> {
    const text = await readFileIfExists(this.file);
    // A damaged file reads as empty: a new Redis password is generated and the Redis container
    // is recreated with it (data on the volume is kept); user secrets must be set again.
    return text === null ? {} : (parseSecrets(text) ?? {});
  }
}

function parseSecrets(text: string): Record<string, string> | null {
  try {
    return secretsFileSchema.parse(JSON.parse(text));
  } catch {
    return null;
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
