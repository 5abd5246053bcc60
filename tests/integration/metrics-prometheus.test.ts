/**
 * A real Prometheus server (Debian's `prometheus`, started here on a free loopback port with a
 * temporary config and storage, scraping every second with the bearer token from its file)
 * scrapes Guildhall's endpoint; PromQL over its HTTP API returns the waiting jobs this test
 * put in a queue, and the durations of the jobs a worker completed. A missing prometheus
 * binary is a failure with instructions, never a skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CurrentQueues } from '../../main/queues/current-queues';
import { serveMetrics, type ServedMetrics } from '../../main/metrics/serve';
import { findFreePort } from '../../main/util/ports';
import { createTestCluster, type TestCluster } from './helpers/test-cluster';

const WAITING_QUEUE = 'prom-waiting';
const WAITING_JOBS = 5;
const ECHO_JOBS = 3;

function requirePrometheus(): string {
  const found = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' });
  const binary = found.stdout.trim();
  if (found.status !== 0 || !binary) {
    throw new Error(
      "The metrics test needs a Prometheus server and none is installed. Install Debian's package (sudo apt-get install prometheus, or run bash scripts/setup-test-host.sh) and run the tests again.",
    );
  }
  return binary;
}

let cluster: TestCluster;
let access: CurrentQueues;
let metrics: ServedMetrics;
let prometheus: ChildProcess | null = null;
let promDir: string;
let promUrl: string;
let promLog = '';

async function query(
  promql: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await response.json()) as { status: string; data?: { result: never[] } };
  return body.status === 'success' ? (body.data?.result ?? []) : [];
}

/** Polls a PromQL query until `accept` holds (Prometheus scrapes every second). */
async function eventually(
  promql: string,
  accept: (value: number | null) => boolean,
): Promise<number | null> {
  const deadline = Date.now() + 60_000;
  let last: number | null = null;
  while (Date.now() < deadline) {
    const [first] = await query(promql).catch(() => []);
    last = first ? Number(first.value[1]) : null;
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`PromQL ${promql} gave ${last}; Prometheus said:\n${promLog.slice(-2000)}`);
}

beforeAll(async () => {
  const binary = requirePrometheus();
  cluster = await createTestCluster({ workers: 1 });
  await cluster.core.cluster.up();
  access = new CurrentQueues(cluster.core);
  const queues = await access.get();
  for (let i = 0; i < WAITING_JOBS; i += 1)
    await queues.addJob({ queue: WAITING_QUEUE, data: { i } });
  for (let i = 0; i < ECHO_JOBS; i += 1) await queues.addJob({ queue: 'echo', data: { i } });
  metrics = await serveMetrics(cluster.core, { queues: () => access.get(), port: 0 });

  promDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gh-prometheus-'));
  const promPort = (await findFreePort(19090 + Math.floor(Math.random() * 2000)))!;
  promUrl = `http://127.0.0.1:${promPort}`;
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    'scrape_configs:',
    '  - job_name: guildhall',
    '    metrics_path: /metrics',
    '    authorization:',
    '      type: Bearer',
    `      credentials_file: ${metrics.tokenFile}`,
    '    static_configs:',
    `      - targets: ['127.0.0.1:${metrics.port}']`,
    '',
  ].join('\n');
  await fs.writeFile(path.join(promDir, 'prometheus.yml'), config);
  prometheus = spawn(
    binary,
    [
      `--config.file=${path.join(promDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(promDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prometheus.stdout!.on('data', (d) => (promLog += d));
  prometheus.stderr!.on('data', (d) => (promLog += d));
});

afterAll(async () => {
  if (prometheus && prometheus.exitCode === null) {
    prometheus.kill('SIGTERM');
    await new Promise((resolve) => prometheus!.once('exit', resolve));
  }
  await metrics?.close();
  await access?.close();
  await cluster?.cleanup();
  if (promDir) await fs.rm(promDir, { recursive: true, force: true });
});

describe('Prometheus scrapes Guildhall', () => {
  it('sees the waiting jobs the test put in a queue', async () => {
    const waiting = await eventually(
      `guildhall_queue_jobs{queue="${WAITING_QUEUE}",state="waiting"}`,
      (value) => value === WAITING_JOBS,
    );
    expect(waiting).toBe(WAITING_JOBS);
    expect(await eventually('guildhall_up{component="redis"}', (v) => v === 1)).toBe(1);
    expect(await eventually('guildhall_up{component="engine"}', (v) => v === 1)).toBe(1);
  });

  it('sees the durations of completed jobs, the workers and Redis', async () => {
    expect(
      await eventually(
        'guildhall_job_duration_seconds_count{queue="echo"}',
        (v) => v === ECHO_JOBS,
      ),
    ).toBe(ECHO_JOBS);
    expect(await eventually('guildhall_workers_running', (v) => v === 1)).toBe(1);
    expect(
      await eventually('guildhall_redis_connected_clients', (v) => (v ?? 0) > 0),
    ).toBeGreaterThan(0);
    expect(await eventually('guildhall_worker_memory_bytes', (v) => (v ?? 0) > 0)).toBeGreaterThan(
      0,
    );
    expect(
      await eventually('guildhall_host_memory_total_bytes', (v) => (v ?? 0) > 0),
    ).toBeGreaterThan(0);
  });

  it('refuses a scrape without the bearer token', async () => {
    const response = await fetch(metrics.url);
    expect(response.status).toBe(401);
    const wrong = await fetch(metrics.url, { headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });
});
