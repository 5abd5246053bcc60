/**
 * What a pool's containers get from the host, on the real engine: a stored secret reaches the
 * default pool's shell jobs (as /run/secrets/NAME and as the env var NAME) and processor files,
 * and never appears in `docker inspect`, the containers' logs or the support bundle; a changed
 * value reaches jobs after the next `up`; a secret missing from the store stops `up` with nothing
 * changed, and diagnostics name it with the fix. Mounts are read-only unless asked, and mounting
 * `/`, the home folder or Guildhall's own folder is refused whichever face saves.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCheck } from '../../main/diagnostics/checks';
import { runDiagnostics } from '../../main/diagnostics/diagnostics';
import { createSupportBundle } from '../../main/diagnostics/support-bundle';
import { setUserSecret } from '../../main/settings/user-secrets';
import { connectionFromUrl } from './helpers/cluster-jobs-kit';
import { unzipAll } from './helpers/diagnostics-helpers';
import {
  clusterContainers,
  createTestCluster,
  docker,
  type TestCluster,
} from './helpers/test-cluster';

const NAME = 'GH_TEST_TOKEN';
let tc: TestCluster;
let value: string;
let work: string;
let roDir: string;
let rwDir: string;
let processors: string;

async function runJob(queueName: string, data: unknown): Promise<Record<string, unknown>> {
  const connection = connectionFromUrl(await tc.core.cluster.connectionUrl());
  const queue = new Queue(queueName, { connection });
  const events = new QueueEvents(queueName, { connection });
  try {
    await events.waitUntilReady();
    const job = await queue.add('pool-secrets', data);
    return (await job.waitUntilFinished(events, 30_000)) as Record<string, unknown>;
  } finally {
    await queue.close();
    await events.close();
  }
}

async function setWorkers(change: Record<string, unknown>): Promise<void> {
  await tc.core.settings.update((s) => ({
    ...s,
    cluster: { ...s.cluster, workers: { ...s.cluster.workers, ...change } },
  }));
}

async function containerTexts(cluster: string): Promise<{ inspect: string; logs: string }> {
  let inspect = '';
  let logs = '';
  for (const info of await clusterContainers(cluster)) {
    const container = docker.getContainer(info.Id);
    inspect += JSON.stringify(await container.inspect());
    logs += (await container.logs({ stdout: true, stderr: true, follow: false })).toString('utf8');
  }
  return { inspect, logs };
}

beforeAll(async () => {
  tc = await createTestCluster({ workers: 1 });
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'ghsecrets-'));
  roDir = path.join(work, 'ro');
  rwDir = path.join(work, 'rw');
  processors = path.join(work, 'processors');
  for (const dir of [work, roDir, rwDir, processors]) {
    await fs.mkdir(dir, { recursive: true });
    await fs.chmod(dir, dir === rwDir ? 0o777 : 0o755);
  }
  await fs.writeFile(path.join(roDir, 'hello.txt'), 'from the host\n');
  await fs.chmod(path.join(roDir, 'hello.txt'), 0o644);
  // A processor file tells whether it sees the secret, without returning it.
  await fs.writeFile(
    path.join(processors, 'sees-secret.js'),
    `module.exports = async (job) => ({ sees: process.env.${NAME} === job.data.expected });\n`,
  );
  await fs.chmod(path.join(processors, 'sees-secret.js'), 0o644);

  value = `tok-${randomBytes(12).toString('hex')}`;
  await setUserSecret(tc.core.secrets, NAME, value);
  await setWorkers({
    secrets: [NAME],
    processorsDir: processors,
    mounts: [
      { source: roDir, target: '/data/ro', readOnly: true },
      { source: rwDir, target: '/data/rw', readOnly: false },
    ],
  });
  await tc.core.cluster.up();
}, 240_000);

afterAll(async () => {
  await tc?.cleanup();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

describe('pool secrets', () => {
  it('reach shell jobs as /run/secrets/NAME and as the env var NAME', async () => {
    const env = await runJob('shell', { command: ['sh', '-c', `echo $${NAME}`] });
    expect(env).toMatchObject({ exitCode: 0, stdoutTail: `${value}\n` });
    const file = await runJob('shell', { command: ['cat', `/run/secrets/${NAME}`] });
    expect(file).toMatchObject({ exitCode: 0, stdoutTail: value });
    // Read-only: the job cannot change it.
    await expect(
      runJob('shell', { command: ['sh', '-c', `echo x > /run/secrets/${NAME}`] }),
    ).rejects.toThrow(/Read-only file system|Permission denied/);
    expect(await runJob('sees-secret', { expected: value })).toEqual({ sees: true });
  });

  it('stay out of docker inspect, the containers logs and the support bundle', async () => {
    // A failing job whose last stderr line is the secret: the worker logs the failure.
    await expect(
      runJob('shell', { command: ['sh', '-c', `echo $${NAME} >&2; exit 3`] }),
    ).rejects.toThrow();
    const { inspect, logs } = await containerTexts(tc.name);
    expect(inspect).toContain(`/run/secrets`);
    expect(inspect).not.toContain(value);
    expect(logs).toMatch(/failed/);
    expect(logs).not.toContain(value);

    const file = path.join(tc.home, 'bundle.zip');
    await createSupportBundle(tc.core, file, { env: tc.env });
    const entries = await unzipAll(file);
    expect(entries.size).toBeGreaterThan(3);
    for (const [, content] of entries) expect(content.toString('utf8')).not.toContain(value);
  });

  it('bind mounts read-only unless asked', async () => {
    const read = await runJob('shell', { command: ['cat', '/data/ro/hello.txt'] });
    expect(read).toMatchObject({ stdoutTail: 'from the host\n' });
    await expect(runJob('shell', { command: ['touch', '/data/ro/new'] })).rejects.toThrow(
      /Read-only file system/,
    );
    await runJob('shell', { command: ['sh', '-c', 'echo written > /data/rw/out.txt'] });
    expect(await fs.readFile(path.join(rwDir, 'out.txt'), 'utf8')).toBe('written\n');
  });

  it('a changed value reaches jobs after the next up (the workers are recreated)', async () => {
    const before = (await clusterContainers(tc.name)).find((c) => c.Names[0]?.includes('worker'));
    const next = `tok-${randomBytes(12).toString('hex')}`;
    await setUserSecret(tc.core.secrets, NAME, next);
    await tc.core.cluster.up();
    const after = (await clusterContainers(tc.name)).find((c) => c.Names[0]?.includes('worker'));
    expect(after?.Id).not.toBe(before?.Id);
    const env = await runJob('shell', { command: ['sh', '-c', `echo $${NAME}`] });
    expect(env).toMatchObject({ stdoutTail: `${next}\n` });
    // The old value's volume is gone: one secrets volume for the pool.
    const { Volumes } = await docker.listVolumes({
      filters: { label: [`io.guildhall.cluster=${tc.name}`, 'io.guildhall.secrets-pool'] },
    });
    expect(Volumes.map((v) => v.Name)).toHaveLength(1);
    value = next;
  });

  it('a secret missing from the store stops up with nothing changed; diagnostics name it', async () => {
    const before = (await clusterContainers(tc.name)).map((c) => c.Id).sort();
    await setWorkers({ secrets: [NAME, 'GH_NOT_STORED'] });
    await expect(tc.core.cluster.up()).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('GH_NOT_STORED'),
      hint: expect.stringContaining('guildhall secret set GH_NOT_STORED'),
    });
    expect((await clusterContainers(tc.name)).map((c) => c.Id).sort()).toEqual(before);

    const report = await runDiagnostics(tc.core, {
      env: tc.env,
      checks: [findCheck('workers.secrets')!],
    });
    const result = report.results[0]!;
    expect(result.status).toBe('failed');
    expect(result.message).toContain('GH_NOT_STORED');
    expect(result.details?.join('\n')).toContain('guildhall secret set GH_NOT_STORED');
    await setWorkers({ secrets: [NAME] });
  });

  it('scaling up gives new workers the secret; down removes the secrets volume', async () => {
    await tc.core.cluster.scale(2);
    const secretsMount = async (n: number) =>
      (await docker.getContainer(`${tc.name}-worker-${n}`).inspect()).Mounts.find(
        (m) => m.Destination === '/run/secrets',
      );
    const first = await secretsMount(1);
    expect(first).toMatchObject({ Type: 'volume', RW: false });
    expect((await secretsMount(2))?.Name).toBe(first?.Name);
    const file = await runJob('shell', { command: ['cat', `/run/secrets/${NAME}`] });
    expect(file).toMatchObject({ stdoutTail: value });
    await tc.core.cluster.down();
    const { Volumes } = await docker.listVolumes({
      filters: { label: [`io.guildhall.cluster=${tc.name}`, 'io.guildhall.secrets-pool'] },
    });
    expect(Volumes ?? []).toEqual([]);
  });
});

describe('a first up with a missing secret', () => {
  it('leaves no container, network or volume behind', async () => {
    const fresh = await createTestCluster({ workers: 1 });
    try {
      await fresh.core.settings.update((s) => ({
        ...s,
        cluster: { ...s.cluster, workers: { ...s.cluster.workers, secrets: ['GH_ABSENT'] } },
      }));
      await expect(fresh.core.cluster.up()).rejects.toThrow(/GH_ABSENT/);
      const label = { label: [`io.guildhall.cluster=${fresh.name}`] };
      expect(await clusterContainers(fresh.name)).toEqual([]);
      expect(await docker.listNetworks({ filters: label })).toEqual([]);
      expect((await docker.listVolumes({ filters: label })).Volumes ?? []).toEqual([]);
    } finally {
      await fresh.cleanup();
    }
  }, 60_000);
});

describe('mount rules', () => {
  const refused = async (source: string, pattern: RegExp) => {
    const saving = tc.core.settings.patch({
      cluster: { workers: { mounts: [{ source, target: '/data/x' }] } },
    });
    await expect(saving).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(pattern),
      details: { fields: ['cluster.workers.mounts.0.source'] },
    });
  };

  it('refuses /, the home folder (also as ~), Guildhall own folder and a missing folder', async () => {
    await refused('/', /root of the file system/);
    await refused(os.homedir(), /home folder/);
    await refused('~', /home folder/);
    await refused(tc.home, /Guildhall's own folder/);
    await refused(path.join(work, 'does-not-exist'), /does not exist/);
    // The same rule for another pool than the default one.
    await expect(
      tc.core.settings.patch({
        cluster: { pools: { tools: { mounts: [{ source: '/', target: '/data/x' }] } } },
      }),
    ).rejects.toMatchObject({ details: { fields: ['cluster.pools.tools.mounts.0.source'] } });
  });
});
