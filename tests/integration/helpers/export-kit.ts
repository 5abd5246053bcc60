/**
 * What the export tests share: a cluster spec with a secret-using default pool and a custom pool
 * (exported, never started by Guildhall), the export written by the real CLI, and a job sent
 * through the exported Redis that a worker of the exported cluster completes.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Queue, QueueEvents } from 'bullmq';
import { setUserSecret } from '../../../main/settings/user-secrets';
import { runCli } from './run-cli';
import { createTestCluster, type TestCluster } from './test-cluster';

export const run = promisify(execFile);

export const SECRET_NAME = 'GH_EXPORT_TOKEN';

export interface ExportFixture {
  tc: TestCluster;
  dir: string;
  composeFile: string;
  /** Swarm's additions (compose.swarm.yaml), given after the compose file. */
  swarmFile: string;
  secretValue: string;
  password: string;
  /** The name the exported project or stack runs under. */
  project: string;
}

/**
 * A cluster spec (not started) with one worker using a secret and a custom pool `probe` that
 * writes into Redis with the URL from its secret file, its images built, exported with --out.
 */
export async function exportedCluster(): Promise<ExportFixture> {
  const tc = await createTestCluster({ workers: 2 });
  const secretValue = `tok-${randomBytes(12).toString('hex')}`;
  await setUserSecret(tc.core.secrets, SECRET_NAME, secretValue);
  await tc.core.settings.update((s) => ({
    ...s,
    cluster: {
      ...s.cluster,
      workers: { ...s.cluster.workers, secrets: [SECRET_NAME] },
      pools: {
        probe: {
          image: process.env.GUILDHALL_REDIS_IMAGE ?? 'guildhall-offline/redis:bookworm',
          replicas: 1,
          memoryMb: 128,
          cpus: 0.5,
          // `$` reaches the container as written: the export doubles it for compose.
          command: [
            'sh',
            '-c',
            'redis-cli -u "$(cat "$GUILDHALL_REDIS_URL_FILE")" set export-probe "from-$GUILDHALL_REDIS_HOST" && sleep 3600',
          ],
        } as never,
      },
    },
  }));
  const built = await runCli(['image', 'build', '--plain'], tc.env, 300_000);
  if (built.code !== 0) throw new Error(`image build failed: ${built.stderr}`);
  const dir = path.join(tc.home, 'export');
  await fs.mkdir(dir);
  const composeFile = path.join(dir, 'compose.yaml');
  const exported = await runCli(['export', 'compose', '--out', composeFile], tc.env);
  if (exported.code !== 0) throw new Error(`export failed: ${exported.stderr}`);
  return {
    tc,
    dir,
    composeFile,
    swarmFile: path.join(dir, 'compose.swarm.yaml'),
    secretValue,
    password: await tc.core.cluster.password(tc.name),
    project: `${tc.name}-x`,
  };
}

/** Runs a shell job through the exported Redis; resolves with the job's result. */
export async function runExportedJob(
  fx: ExportFixture,
  command: string[],
  timeoutMs = 90_000,
): Promise<Record<string, unknown>> {
  const connection = { host: '127.0.0.1', port: fx.tc.port, password: fx.password };
  const queue = new Queue('shell', { connection });
  const events = new QueueEvents('shell', { connection });
  try {
    await events.waitUntilReady();
    const job = await queue.add('exported', { command });
    return (await job.waitUntilFinished(events, timeoutMs)) as Record<string, unknown>;
  } finally {
    await queue.close();
    await events.close();
  }
}

/** Waits until `check` passes (the exported services start on their own time). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 90_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
