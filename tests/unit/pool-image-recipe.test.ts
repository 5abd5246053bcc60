/**
 * A pool's image recipe is checked before anything reaches the engine: package names can never
 * become shell text, and a missing Dockerfile is named by its path. The engine here is a socket
 * that does not exist, so a check that let the build start would fail differently.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import {
  ensureCustomPoolImage,
  ensurePoolImage,
  packagesDockerfile,
} from '../../main/images/pool-image';

const noEngine = new Dockerode({ socketPath: '/tmp/guildhall-no-engine-here.sock' });
const options = { contextDir: '/nowhere', baseImage: 'debian:bookworm', pool: 'tools' };

describe('pool image recipe', () => {
  it('refuses a package name with shell metacharacters before any build', async () => {
    for (const hostile of ['git; rm -rf /', '$(id)', 'curl`x`', '-oAPT::x', 'a b']) {
      await expect(
        ensurePoolImage(noEngine, { ...options, packages: ['python3', hostile], dockerfile: null }),
      ).rejects.toMatchObject({
        code: 'invalid-input',
        message: expect.stringContaining(JSON.stringify(hostile)),
      });
    }
  });

  it('passes package names to apt-get as arguments of an exec-form RUN, never as shell text', () => {
    const text = packagesDockerfile(['git', 'python3']);
    const run = text.split('\n').find((line) => line.startsWith('RUN '))!;
    const argv = JSON.parse(run.slice(4)) as string[];
    expect(argv.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(argv[2]).toContain('apt-get install -y --no-install-recommends "$@"');
    expect(argv.slice(3)).toEqual(['install-packages', 'git', 'python3']);
    expect(text).toMatch(/^ARG BASE_IMAGE\nFROM \$\{BASE_IMAGE\}\nUSER 0:0\n/);
    expect(text.trimEnd().endsWith('USER 1000:1000')).toBe(true);
  });

  it('a missing Dockerfile is named by its path', async () => {
    const missing = path.join(os.tmpdir(), 'guildhall-no-such', 'tools.Dockerfile');
    await expect(
      ensurePoolImage(noEngine, { ...options, packages: [], dockerfile: missing }),
    ).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringContaining(missing) });
  });

  it('a Dockerfile that does not build FROM the pool image is refused with the two lines to add', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'guildhall-recipe-'));
    const file = path.join(dir, 'tools.Dockerfile');
    await fs.writeFile(file, 'FROM debian:bookworm\nRUN true\n');
    const err = await ensurePoolImage(noEngine, {
      ...options,
      packages: [],
      dockerfile: file,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'invalid-input',
      hint: expect.stringContaining('ARG BASE_IMAGE'),
    });
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("a custom pool's missing context or Dockerfile is named by its path", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'guildhall-context-'));
    await expect(
      ensureCustomPoolImage(noEngine, {
        pool: 'celery',
        context: path.join(dir, 'no'),
        dockerfile: 'Dockerfile',
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining(path.join(dir, 'no')) });
    await expect(
      ensureCustomPoolImage(noEngine, { pool: 'celery', context: dir, dockerfile: 'Dockerfile' }),
    ).rejects.toMatchObject({ message: expect.stringContaining(path.join(dir, 'Dockerfile')) });
    await expect(
      ensureCustomPoolImage(noEngine, {
        pool: 'celery',
        context: dir,
        dockerfile: '../x/Dockerfile',
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/outside its build context/) });
    await fs.rm(dir, { recursive: true, force: true });
  });
});
