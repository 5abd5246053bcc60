/**
 * A custom pool's build honours the user's `.dockerignore` on a real engine: what it leaves out
 * (a secrets file, a dependencies folder, logs but the one taken back with `!`) never reaches
 * the engine — the image holds none of it — and changing an ignored file rebuilds nothing.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../../main/images/image-store';
import type { ProgressEvent } from '../../main/util/progress';
import { runInImage } from './helpers/run-image';
import { docker, workerContextDir } from './helpers/test-cluster';

const baseImage = process.env.GUILDHALL_WORKER_BASE_IMAGE!;
const store = new ImageStore(docker, workerContextDir);
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'guildhall-dockerignore-'));
const made = new Set<string>();

afterAll(async () => {
  for (const tag of made)
    await docker
      .getImage(tag)
      .remove({ force: true })
      .catch(() => {});
  await fs.rm(tmp, { recursive: true, force: true });
});

async function write(files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(tmp, name)), { recursive: true });
    await fs.writeFile(path.join(tmp, name), content);
  }
}

describe("a custom pool's build context and its .dockerignore", () => {
  it('sends the engine only what .dockerignore keeps, and rebuilds nothing for ignored files', async () => {
    await write({
      Dockerfile: `FROM ${baseImage}\nCOPY . /ctx/\n`,
      '.dockerignore': 'secret.env\nnode_modules\nlogs\n!logs/keep.log\n',
      'app.py': 'print("hello")\n',
      'secret.env': 'API_KEY=do-not-ship-me\n',
      'node_modules/dep/index.js': 'module.exports = 1;\n',
      'logs/old.log': 'old\n',
      'logs/keep.log': 'kept\n',
    });
    const pool = `ignore-${randomBytes(3).toString('hex')}`;
    const tag = await store.ensureCustomPoolImage({ pool, context: tmp, dockerfile: 'Dockerfile' });
    made.add(tag);
    const listed = await runInImage(tag, ['sh', '-c', 'cd /ctx && find . -type f | sort']);
    expect(listed.exitCode).toBe(0);
    expect(listed.output.trim().split('\n')).toEqual([
      './.dockerignore',
      './Dockerfile',
      './app.py',
      './logs/keep.log',
    ]);

    await write({ 'secret.env': 'API_KEY=changed\n', 'logs/old.log': 'newer\n' });
    const events: ProgressEvent[] = [];
    const again = await store.ensureCustomPoolImage({
      pool,
      context: tmp,
      dockerfile: 'Dockerfile',
      onProgress: (e) => events.push(e),
    });
    expect(again).toBe(tag);
    expect(
      events.filter((e) => e.status === 'running' && /^building/.test(e.message ?? '')),
    ).toEqual([]);
  });
});
