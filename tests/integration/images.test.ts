import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureImage, inspectImage, loadImageTarball, pullImage } from '../../main/images/images';
import {
  ensureWorkerImage,
  readWorkerContext,
  workerImageTag,
} from '../../main/images/worker-image';
import type { ProgressEvent } from '../../main/util/progress';
import { docker, workerContextDir } from './helpers/test-cluster';

const run = promisify(execFile);
const redisImage = process.env.GUILDHALL_REDIS_IMAGE!;
const nodeImage = process.env.GUILDHALL_WORKER_BASE_IMAGE!;
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'guildhall-images-'));
const loadedTag = 'guildhall-test/loaded:1';

afterAll(async () => {
  await docker
    .getImage(loadedTag)
    .remove()
    .catch(() => {});
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('images on a real engine', () => {
  it('a present image is not pulled again', async () => {
    const events: ProgressEvent[] = [];
    const info = await ensureImage(docker, redisImage, (e) => events.push(e));
    expect(info.id).toMatch(/^sha256:/);
    expect(events).toEqual([expect.objectContaining({ step: 'image', status: 'skipped' })]);
  });

  it('a pull that fails inside the engine stream becomes a clear image-pull-failed error', async () => {
    const events: ProgressEvent[] = [];
    const error = await pullImage(docker, 'guildhall-test/no-such-image:never', (e) =>
      events.push(e),
    ).catch((e) => e);
    expect(error).toMatchObject({ code: 'image-pull-failed' });
    expect(error.message).toContain('guildhall-test/no-such-image:never');
    expect(error.hint).toMatch(/load the image from a file|GUILDHALL_REDIS_IMAGE/);
    expect(events.at(-1)).toMatchObject({ status: 'failed' });
  });

  it('loads a docker-save tarball with byte progress', async () => {
    await run('docker', ['tag', redisImage, loadedTag]);
    const file = path.join(tmp, 'image.tar');
    await run('docker', ['save', '-o', file, loadedTag]);
    await run('docker', ['rmi', loadedTag]);
    expect(await inspectImage(docker, loadedTag)).toBeNull();

    const events: ProgressEvent[] = [];
    const loaded = await loadImageTarball(docker, file, (e) => events.push(e));
    expect(loaded).toContain(loadedTag);
    expect(await inspectImage(docker, loadedTag)).not.toBeNull();
    const last = events.filter((e) => e.bytesTotal).at(-1)!;
    expect(last.bytesDone).toBe(last.bytesTotal);
  });

  it('a missing or broken tarball gives image-load-failed', async () => {
    await expect(loadImageTarball(docker, path.join(tmp, 'nope.tar'))).rejects.toMatchObject({
      code: 'image-load-failed',
    });
    const junk = path.join(tmp, 'junk.tar');
    await fs.writeFile(junk, 'this is not a tarball');
    await expect(loadImageTarball(docker, junk)).rejects.toMatchObject({
      code: 'image-load-failed',
    });
  });

  it('builds the worker image from resources/worker once, tagged by content and base image', async () => {
    const context = await readWorkerContext(workerContextDir);
    const base = (await inspectImage(docker, nodeImage))!;
    const tag = workerImageTag(context, base.id);
    const first = await ensureWorkerImage(docker, {
      contextDir: workerContextDir,
      baseImage: nodeImage,
    });
    expect(first).toBe(tag);
    const { stdout } = await run('docker', [
      'run',
      '--rm',
      '--init',
      first,
      'node',
      '/opt/guildhall/worker.cjs',
      '--version',
    ]);
    expect(stdout.trim()).toMatch(/\d+\.\d+\.\d+/);
    const { stdout: user } = await run('docker', ['inspect', '-f', '{{.Config.User}}', first]);
    expect(user.trim()).toBe('1000:1000');

    const events: ProgressEvent[] = [];
    expect(
      await ensureWorkerImage(docker, {
        contextDir: workerContextDir,
        baseImage: nodeImage,
        onProgress: (e) => events.push(e),
      }),
    ).toBe(first);
    expect(events.some((e) => e.target === first && e.status === 'skipped')).toBe(true);

    // Another base image gives another tag (so workers roll onto it).
    expect(workerImageTag(context, `${base.id}-other`)).not.toBe(tag);
  });

  it('a missing base image or an incomplete context gives a clear error', async () => {
    const error = await ensureWorkerImage(docker, {
      contextDir: workerContextDir,
      baseImage: 'guildhall-test/missing-base:1',
    }).catch((e) => e);
    expect(error.code).toBe('image-pull-failed');
    const missing = await ensureWorkerImage(docker, {
      contextDir: path.join(tmp, 'empty'),
      baseImage: nodeImage,
    }).catch((e) => e);
    expect(missing.code).toBe('image-build-failed');
    expect(missing.hint).toMatch(/npm run build/);
  });
});
