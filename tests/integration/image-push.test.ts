/**
 * `image push REGISTRY` on the real engine (no registry runs here): the local image is tagged
 * under the registry, and a registry that does not answer gives a clear error naming it and the
 * fix; a malformed registry or an image the engine lacks is refused before anything is tagged.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../../main/images/image-store';
import { registryRef } from '../../main/images/image-push';
import { docker, workerContextDir } from './helpers/test-cluster';

const IMAGE = process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm';
/** Nothing listens on the discard port: the push is refused at once. */
const REGISTRY = '127.0.0.1:9/ghtest-push';
const store = new ImageStore(docker, workerContextDir);

afterAll(async () => {
  // Only the tag this test made (the image stays under its own name).
  await docker
    .getImage(registryRef(IMAGE, REGISTRY))
    .remove()
    .catch(() => {});
});

describe('image push', () => {
  it('tags the image under the registry, then names an unreachable registry and the fix', async () => {
    const err = await store.push(IMAGE, REGISTRY).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'image-push-failed',
      message: expect.stringContaining(`Could not push ${REGISTRY}/`),
      hint: expect.stringContaining('reachable'),
    });
    expect(await store.inspect(registryRef(IMAGE, REGISTRY))).not.toBeNull();
  }, 60_000);

  it('refuses a malformed registry and an image the engine lacks', async () => {
    await expect(store.push(IMAGE, 'https://registry.example.com')).rejects.toMatchObject({
      code: 'invalid-input',
    });
    await expect(store.push('ghtest/none:missing', REGISTRY)).rejects.toMatchObject({
      code: 'image-missing',
    });
  });

  it('puts a reference under a registry, replacing a registry it had', () => {
    expect(registryRef('guildhall/worker:abc', 'reg:5000/team')).toBe(
      'reg:5000/team/guildhall/worker:abc',
    );
    expect(registryRef('old.example.com/x/y:1', 'reg:5000')).toBe('reg:5000/x/y:1');
    expect(registryRef('redis:7', 'localhost:5000/')).toBe('localhost:5000/redis:7');
  });
});
