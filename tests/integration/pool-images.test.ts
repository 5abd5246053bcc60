/**
 * Pools' images on a real engine, on the offline base image: a pool's Debian packages are
 * installed by apt (containers reach Debian's mirrors), its Dockerfile is built on top, a custom
 * pool's build context is built as is; each image is built once and reused, and an apt failure
 * reports the end of the build log. The plain worker image stays without the extra packages.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../../main/images/image-store';
import type { ProgressEvent } from '../../main/util/progress';
import { docker, workerContextDir } from './helpers/test-cluster';
import { runInImage } from './helpers/run-image';

const baseImage = process.env.GUILDHALL_WORKER_BASE_IMAGE!;
const store = new ImageStore(docker, workerContextDir);
const suffix = randomBytes(3).toString('hex');
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'guildhall-pool-images-'));
const made = new Set<string>();

afterAll(async () => {
  for (const tag of made)
    await docker
      .getImage(tag)
      .remove({ force: true })
      .catch(() => {});
  await fs.rm(tmp, { recursive: true, force: true });
});

function builds(events: ProgressEvent[]): ProgressEvent[] {
  return events.filter((e) => e.status === 'running' && /^building/.test(e.message ?? ''));
}

describe('pool images on a real engine', () => {
  it('a pool with packages [python3, git] runs python3 and git; the plain worker image has neither', async () => {
    const pool = `tools-${suffix}`;
    const events: ProgressEvent[] = [];
    const recipe = { baseImage, packages: ['python3', 'git'], dockerfile: null };
    const tag = await store.ensurePoolImage(pool, recipe, (e) => events.push(e));
    made.add(tag);
    expect(tag).toMatch(new RegExp(`^guildhall/pool-${pool}:[0-9a-f]{12}$`));
    // Build progress streams the build's own lines.
    expect(
      events.some((e) => e.target === tag && /apt-get|Setting up|Unpacking/.test(e.message ?? '')),
    ).toBe(true);
    expect(events.at(-1)).toMatchObject({ target: tag, status: 'done' });

    const python = await runInImage(tag, ['python3', '-c', 'print(1+1)']);
    expect(python).toEqual({ exitCode: 0, output: '2\n' });
    const git = await runInImage(tag, ['git', '--version']);
    expect(git.exitCode).toBe(0);
    expect(git.output).toMatch(/^git version \d/);
    // Still the worker image underneath: its program, and its user.
    const id = await runInImage(tag, ['sh', '-c', 'id -u && test -f /opt/guildhall/worker.cjs']);
    expect(id).toEqual({ exitCode: 0, output: '1000\n' });

    const plain = await store.ensureWorker(baseImage);
    const lacks = await runInImage(plain, [
      'sh',
      '-c',
      'command -v python3 || command -v git || echo none',
    ]);
    expect(lacks.output.trim()).toBe('none');

    // A second ensure is a cache hit: nothing is built.
    const again: ProgressEvent[] = [];
    expect(await store.ensurePoolImage(pool, recipe, (e) => again.push(e))).toBe(tag);
    expect(builds(again)).toEqual([]);
    expect(again.filter((e) => e.target === tag)).toEqual([
      expect.objectContaining({ status: 'skipped', message: 'present' }),
    ]);
    // The same packages in another order are the same recipe.
    expect(
      await store.ensurePoolImage(pool, { ...recipe, packages: ['git', 'python3', 'git'] }),
    ).toBe(tag);
  });

  it('a pool without packages or Dockerfile uses the plain worker image, with no build', async () => {
    const plain = await store.ensureWorker(baseImage);
    const events: ProgressEvent[] = [];
    const tag = await store.ensurePoolImage(
      `plain-${suffix}`,
      { baseImage, packages: [], dockerfile: null },
      (e) => events.push(e),
    );
    expect(tag).toBe(plain);
    expect(builds(events)).toEqual([]);
  });

  it("a pool's Dockerfile is built FROM its image (build arg BASE_IMAGE), once", async () => {
    const file = path.join(tmp, 'extra.Dockerfile');
    await fs.writeFile(
      file,
      'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nUSER 0:0\nRUN echo extra > /opt/extra.txt\nUSER 1000:1000\n',
    );
    const pool = `extra-${suffix}`;
    const tag = await store.ensurePoolImage(pool, { baseImage, packages: [], dockerfile: file });
    made.add(tag);
    expect(tag).toMatch(new RegExp(`^guildhall/pool-${pool}:`));
    expect(await runInImage(tag, ['cat', '/opt/extra.txt'])).toEqual({
      exitCode: 0,
      output: 'extra\n',
    });
    expect(await runInImage(tag, ['test', '-f', '/opt/guildhall/worker.cjs'])).toMatchObject({
      exitCode: 0,
    });
    // A changed Dockerfile is a new recipe, so a new image.
    await fs.appendFile(file, '# changed\n');
    const changed = await store.ensurePoolImage(pool, {
      baseImage,
      packages: [],
      dockerfile: file,
    });
    made.add(changed);
    expect(changed).not.toBe(tag);
  });

  it("a custom pool's build context is built and tagged by its content", async () => {
    const context = path.join(tmp, 'celery');
    await fs.mkdir(context, { recursive: true });
    await fs.writeFile(
      path.join(context, 'Dockerfile'),
      `FROM ${baseImage}\nCOPY hello.txt /hello.txt\n`,
    );
    await fs.writeFile(path.join(context, 'hello.txt'), 'hello from the context\n');
    const pool = `celery-${suffix}`;
    const tag = await store.ensureCustomPoolImage({ pool, context, dockerfile: 'Dockerfile' });
    made.add(tag);
    expect(await runInImage(tag, ['cat', '/hello.txt'])).toEqual({
      exitCode: 0,
      output: 'hello from the context\n',
    });
    const events: ProgressEvent[] = [];
    expect(
      await store.ensureCustomPoolImage({
        pool,
        context,
        dockerfile: 'Dockerfile',
        onProgress: (e) => events.push(e),
      }),
    ).toBe(tag);
    expect(builds(events)).toEqual([]);
  });

  it('an unknown package fails the build with the end of the apt log in the error', async () => {
    const pool = `broken-${suffix}`;
    const events: ProgressEvent[] = [];
    const err = await store
      .ensurePoolImage(
        pool,
        { baseImage, packages: ['guildhall-no-such-package'], dockerfile: null },
        (e) => events.push(e),
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'image-build-failed' });
    const { message, hint } = err as { message: string; hint: string };
    expect(message).toContain(`pool "${pool}"`);
    expect(message).toMatch(
      /Last lines of the build log:[\s\S]*Unable to locate package guildhall-no-such-package/,
    );
    expect(hint).toMatch(/running pools are untouched/);
    expect(events.at(-1)).toMatchObject({ status: 'failed' });
  });
});
