/**
 * The secrets that must never leave the API in a message: every Redis password of this process's
 * clusters and every value of the secret store (the user's secrets too) seen so far (a password stays known after the cluster changes, since older messages
 * may still carry it). Also how unexpected errors are logged, redacted.
 */
import type { Core } from '../core';
import { redisPasswordKey } from '../settings/secret-store';
import { redact } from '../util/redact';
import type { ToApiErrorOptions } from './errors';

export class SecretCache {
  private readonly known: string[] = [];

  constructor(
    private readonly core: Core,
    /** Where unexpected errors are written, already redacted. */
    private readonly log: (line: string) => void,
  ) {}

  /** The known secrets, with the current cluster's Redis password and every stored value. */
  async list(): Promise<string[]> {
    try {
      const { spec } = await this.core.cluster.spec();
      const password = await this.core.secrets.get(redisPasswordKey(spec.name));
      const stored = (await this.core.secrets.values?.()) ?? [];
      for (const secret of [password, ...stored]) {
        if (secret && !this.known.includes(secret)) this.known.push(secret);
      }
    } catch {
      // Settings unreadable: keep the secrets already known.
    }
    return this.known;
  }

  /** Options for toApiError: the secrets to redact, and a redacted log of unexpected errors. */
  async errorOptions(): Promise<ToApiErrorOptions> {
    const secrets = await this.list();
    return {
      secrets,
      onUnexpected: (err) => {
        const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
        this.log(`guildhall api: unexpected error: ${redact(text, secrets)}`);
      },
    };
  }
}
