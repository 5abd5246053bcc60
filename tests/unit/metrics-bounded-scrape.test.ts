/**
 * A scrape answers within its budget when Redis and the engine accept connections but never
 * reply (real sockets that stay silent): it reports what it knows (host memory and CPU) and
 * guildhall_up{component} = 0 for both, and a second scrape does not pile up more requests.
 */
import net from 'node:net';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core';
import { MetricsExporter } from '../../main/metrics/exporter';
import { QueuesService } from '../../main/queues/queues-service';

let silent: net.Server;
let port: number;
let home: string;
let core: Core;
let queues: QueuesService;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  port = (silent.address() as net.AddressInfo).port;
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'gh-metrics-'));
  core = createCore({
    home,
    version: 'test',
    workerContextDir: home,
    env: { DOCKER_HOST: `tcp://127.0.0.1:${port}` },
  });
  queues = new QueuesService({ connection: { host: '127.0.0.1', port }, cluster: 'silent' });
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await queues.close().catch(() => {});
  await new Promise((resolve) => silent.close(resolve));
  await fs.rm(home, { recursive: true, force: true });
});

describe('metrics scrape when Redis and the engine hang', () => {
  it('answers within its budget with what is known and guildhall_up 0', async () => {
    const exporter = new MetricsExporter({
      budgetMs: 800,
      sources: {
        status: () => core.cluster.status(),
        containers: () => core.cluster.containers(),
        queues: async () => queues,
      },
    });
    for (let i = 0; i < 2; i += 1) {
      const started = Date.now();
      const text = await exporter.scrape();
      // The bound the scrape promises: its budget, plus a little for the answer itself.
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(text).toContain('guildhall_up{component="engine"} 0');
      expect(text).toContain('guildhall_up{component="redis"} 0');
      expect(text).toMatch(/guildhall_host_memory_total_bytes \d+/);
      expect(text).not.toMatch(/guildhall_queue_jobs\{/);
    }
    exporter.close();
  });
});
