/**
 * The worker image as the core builds it, on the engine under test (Docker, or Podman in the
 * integration-podman project): the build leaves no untagged step images behind, and the image's
 * own init (resources/worker/init.sh, PID 1 without the engine's init) passes SIGTERM on to the
 * program, passes its exit status out and reaps the orphans a shell job leaves.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWorkerImage, WORKER_CONTEXT_FILES } from '../../main/images/worker-image';
import { testEngineClient, testEngineName } from './helpers/test-engine';
import { TEST_LABEL, buildWorkerBundle, workerContextDir } from './worker-harness';

const docker = testEngineClient();
const baseImage = process.env.GUILDHALL_WORKER_BASE_IMAGE ?? 'guildhall-offline/node:bookworm';
const [labelKey, labelValue] = TEST_LABEL.split('=') as [string, string];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let contextDir: string;
let tag: string;
let newUntagged: string[];
let ancestors: Set<string>;

beforeAll(async () => {
  buildWorkerBundle();
  // A context of its own (a comment makes it new), so the image is built here, not found.
  contextDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ghwtest-context-'));
  for (const file of WORKER_CONTEXT_FILES) {
    await fs.mkdir(path.dirname(path.join(contextDir, file)), { recursive: true });
    await fs.copyFile(path.join(workerContextDir, file), path.join(contextDir, file));
  }
  await fs.appendFile(
    path.join(contextDir, 'Dockerfile'),
    `\n# test build ${randomBytes(4).toString('hex')}\n`,
  );
  const before = new Set((await docker.listImages({ all: true })).map((i) => i.Id));
  tag = await ensureWorkerImage(docker, { contextDir, baseImage });
  const images = await docker.listImages({ all: true });
  const id = (await docker.getImage(tag).inspect()).Id;
  const parents = new Map(images.map((i) => [i.Id, i.ParentId]));
  ancestors = new Set();
  for (let at = parents.get(id); at; at = parents.get(at)) ancestors.add(at);
  newUntagged = images
    .filter((i) => !before.has(i.Id) && i.Id !== id)
    .filter((i) => (i.RepoTags ?? []).every((t) => t === '<none>:<none>'))
    .map((i) => i.Id);
}, 300_000);

afterAll(async () => {
  const leftovers = await docker.listContainers({
    all: true,
    filters: { label: [TEST_LABEL] },
  });
  for (const c of leftovers) {
    if (c.Image === tag) await docker.getContainer(c.Id).remove({ force: true });
  }
  if (tag)
    await docker
      .getImage(tag)
      .remove({ force: true })
      .catch(() => {});
  if (contextDir) await fs.rm(contextDir, { recursive: true, force: true });
});

describe('worker image build', () => {
  it('leaves no untagged images behind', () => {
    if (testEngineName === 'podman') {
      // Podman committed an image per step (its layer cache) until builds passed layers=false.
      expect(newUntagged).toEqual([]);
    } else {
      // Docker's classic builder keeps each step as a parent of the image, removed with it.
      for (const id of newUntagged) expect(ancestors.has(id)).toBe(true);
    }
  });
});

describe("the worker image's own init", () => {
  /** A program that leaves orphans (sh exits before its sleeps) and exits 7 on SIGTERM. */
  const program = [
    "const { spawn } = require('node:child_process');",
    "for (let i = 0; i < 3; i++) spawn('sh', ['-c', 'sleep 0.3 & exit 0'], { stdio: 'ignore' });",
    "process.on('SIGTERM', () => { console.log('got SIGTERM'); process.exit(7); });",
    "console.log('ready'); setInterval(() => {}, 1000);",
  ].join('\n');

  async function processStates(id: string): Promise<string> {
    const exec = await docker.getContainer(id).exec({
      Cmd: ['sh', '-c', 'for p in /proc/[0-9]*; do cut -d" " -f2,3 "$p/stat"; done'],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({});
    let output = '';
    stream.on('data', (chunk: Buffer) => (output += chunk.toString('latin1')));
    await new Promise((resolve) => stream.on('end', resolve));
    return output;
  }

  it('is PID 1: it reaps orphaned processes, passes SIGTERM on and the exit status out', async () => {
    const container = await docker.createContainer({
      name: `ghwtest-init-${randomBytes(3).toString('hex')}`,
      Image: tag,
      Cmd: ['node', '-e', program],
      Labels: { [labelKey]: labelValue },
      HostConfig: { NetworkMode: 'none' },
    });
    await container.start();
    const inspect = await container.inspect();
    expect(inspect.HostConfig.Init ?? false).toBe(false);
    expect(inspect.Config.Entrypoint).toEqual(['/bin/sh', '/opt/guildhall/init.sh']);
    // The orphaned sleeps end after 0.3 s; without a reaping PID 1 they stay zombies.
    await sleep(1_500);
    const states = await processStates(container.id);
    expect(states).toMatch(/\(sh\) S|\(init\.sh\) S/);
    expect(states).toContain('(node)');
    expect(states).not.toMatch(/\) Z/);

    await container.stop({ t: 10 });
    const stopped = await container.inspect();
    expect(stopped.State.ExitCode).toBe(7);
    const logs = ((await container.logs({ stdout: true, stderr: true })) as Buffer).toString(
      'latin1',
    );
    expect(logs).toContain('got SIGTERM');
    await container.remove({ force: true });
  });
});
