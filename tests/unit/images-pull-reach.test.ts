/** Whether a pull can work (main/images/pull-reach.ts): local-only images, registries, offline hosts. */
import { describe, expect, it } from 'vitest';
import { isLocalOnlyImage, registryOf, registryReachable } from '../../main/images/pull-reach';

describe('pull reach', () => {
  it('knows images that exist only where they were built', () => {
    expect(isLocalOnlyImage('guildhall-offline/redis:bookworm')).toBe(true);
    expect(isLocalOnlyImage('localhost/my-node:22')).toBe(true);
    expect(isLocalOnlyImage('sha256:' + 'a'.repeat(64))).toBe(true);
    expect(isLocalOnlyImage('redis:7.4-bookworm')).toBe(false);
    expect(isLocalOnlyImage('ghcr.io/acme/node:22')).toBe(false);
  });

  it('names the registry of a reference', () => {
    expect(registryOf('redis:7.4-bookworm')).toBe('registry-1.docker.io');
    expect(registryOf('library/node:22')).toBe('registry-1.docker.io');
    expect(registryOf('ghcr.io/acme/node:22')).toBe('ghcr.io');
    expect(registryOf('registry.local:5000/node:22')).toBe('registry.local');
  });

  it('calls a registry out of reach when its name does not resolve, or not in time', async () => {
    expect(await registryReachable('redis:7', () => Promise.resolve({}))).toBe(true);
    expect(await registryReachable('redis:7', () => Promise.reject(new Error('ENOTFOUND')))).toBe(
      false,
    );
    expect(await registryReachable('redis:7', () => new Promise(() => {}))).toBe(false);
  });
});
