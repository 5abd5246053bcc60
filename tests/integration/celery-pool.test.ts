/**
 * Celery workers in a Guildhall cluster, with real parts: the example Celery image built from
 * Debian's packages, a real Celery worker in it reaching the cluster's own Redis through
 * GUILDHALL_REDIS_URL_FILE, and Debian's Celery on the host sending tasks through
 * `guildhall connect`'s URL. The pool's watched queue shows its waiting tasks (every priority
 * list) through Guildhall's queues service and `guildhall queues --json`, and drains when the
 * worker runs again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CurrentQueues } from '../../main/queues/current-queues';
import { poolSpecSchema } from '../../main/settings/pool-spec';
import {
  buildCeleryImage,
  CELERY_IMAGE,
  celeryClient,
  runPython,
  startCeleryPool,
  type CeleryPool,
} from './helpers/celery-pool';
import { runCli } from './helpers/run-cli';
import { createTestCluster, repoRoot, type TestCluster } from './helpers/test-cluster';

const POOL = 'celery';
const QUEUE = 'claude_tasks';
/** Watched too, but never used: no list in Redis, so 0 waiting. */
const IDLE_QUEUE = 'idle_tasks';
const COMMAND = ['celery', '-A', 'tasks', 'worker', '-Q', QUEUE, '-c', '2', '-l', 'INFO'];

let cluster: TestCluster;
let pool: CeleryPool | undefined;
let client: Awaited<ReturnType<typeof celeryClient>>;
let queues: CurrentQueues;

async function watchedWaiting(): Promise<Record<string, number>> {
  const overview = await (await queues.get()).overview();
  return Object.fromEntries(overview.celery.map((q) => [q.name, q.waiting]));
}

beforeAll(async () => {
  buildCeleryImage();
  cluster = await createTestCluster({ workers: 0 });
  const { settings } = await cluster.core.settings.load();
  await cluster.core.settings.save({
    ...settings,
    cluster: {
      ...settings.cluster,
      pools: {
        [POOL]: poolSpecSchema.parse({
          image: CELERY_IMAGE,
          command: COMMAND,
          watch: { celery: [QUEUE, IDLE_QUEUE] },
          replicas: 0,
        }),
      },
    },
  });
  await cluster.core.cluster.up();
  pool = await startCeleryPool(cluster, POOL);
  const connect = await runCli(['connect'], cluster.env);
  expect(connect.code).toBe(0);
  client = await celeryClient(connect.stdout.trim());
  queues = new CurrentQueues(cluster.core);
});

afterAll(async () => {
  await queues?.close();
  await client?.close();
  await pool?.remove();
  await cluster?.cleanup();
});

describe('a Celery pool on the cluster (real Celery, real Redis)', () => {
  it('the image reads the URL from GUILDHALL_REDIS_URL_FILE; a host client gets results back', async () => {
    const ids = (await client.run(['send', QUEUE, '4'])) as string[];
    expect(ids).toHaveLength(4);
    expect(await client.run(['results', ...ids])).toEqual([0, 2, 4, 6]);
    // The task ran in the pool's container (its hostname is its name), not on the host.
    expect(await client.run(['whoami', QUEUE])).toBe(`${cluster.name}-${POOL}-1`);
    // The healthcheck the README gives a Celery pool answers for this worker.
    const health = pool!.exec('celery -A tasks inspect ping -d celery@$HOSTNAME');
    expect(health.output).toMatch(/pong/);
    expect(health.code).toBe(0);
    const logs = pool!.logs();
    expect(logs).toMatch(/celery@\S+ ready/);
    expect(logs).not.toContain(await cluster.core.cluster.password(cluster.name));
  });

  it('with the worker stopped the watched queue shows the waiting tasks, priorities included; they drain when it runs again', async () => {
    await pool!.stop();
    const plain = (await client.run(['send', QUEUE, '3'])) as string[];
    // Priority 6 goes to the list claude_tasks\x06\x166, beside the plain one.
    const urgent = (await client.run(['send', QUEUE, '2', '6'])) as string[];
    expect(await watchedWaiting()).toEqual({ [QUEUE]: 5, [IDLE_QUEUE]: 0 });

    const overview = await (await queues.get()).overview();
    expect(overview.celery).toEqual([
      { kind: 'celery', name: QUEUE, pool: POOL, waiting: 5 },
      { kind: 'celery', name: IDLE_QUEUE, pool: POOL, waiting: 0 },
    ]);
    // Celery's lists are no BullMQ queues.
    expect(overview.queues.map((q) => q.name)).not.toContain(QUEUE);

    const listed = await runCli(['queues', '--json'], cluster.env);
    expect(listed.code).toBe(0);
    const entries = JSON.parse(listed.stdout) as { kind: string; name: string }[];
    expect(entries.filter((q) => q.kind === 'celery')).toEqual(overview.celery);
    const table = await runCli(['queues'], cluster.env);
    expect(table.stdout).toMatch(new RegExp(`^${QUEUE}\\s+celery\\s+5\\s+${POOL}$`, 'm'));

    await pool!.start();
    await expect
      .poll(async () => (await watchedWaiting())[QUEUE], { timeout: 90_000, interval: 500 })
      .toBe(0);
    expect(await client.run(['results', ...plain, ...urgent])).toEqual([0, 2, 4, 0, 2]);
  });

  it('the example app falls back to GUILDHALL_REDIS_URL and names what is missing', async () => {
    const app = `${repoRoot}/resources/examples/celery`;
    const show = [
      '-c',
      `import sys; sys.path.insert(0, "${app}"); import tasks, json; print(json.dumps(tasks.URL))`,
    ];
    expect(await runPython(show, { GUILDHALL_REDIS_URL: 'redis://default:x@redis:6379/0' })).toBe(
      'redis://default:x@redis:6379/0',
    );
    await expect(runPython(show, {})).rejects.toThrow(/set GUILDHALL_REDIS_URL_FILE/);
  });
});
