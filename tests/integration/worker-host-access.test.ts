/**
 * Workers reach services on the host as `host.docker.internal` on every OS (issue 12): on Linux
 * the worker containers map it to the host gateway. The host is a private address, which http
 * jobs reach only with the cluster setting workers.allowPrivateNetworks on (issue 19); without
 * it the job fails naming that setting, also at the cluster network's gateway (the host, on the
 * worker's own network). Real engine, real worker, a real HTTP server in this
 * test's process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkName } from '../../main/cluster/naming';
import { QueuesService } from '../../main/queues/index';
import { connectionFromUrl, runJob } from './helpers/cluster-jobs-kit';
import { createTestCluster, type TestCluster } from './helpers/test-cluster';
import { testEngineClient } from './helpers/test-engine';

let tc: TestCluster;
let service: QueuesService;
let server: http.Server;

beforeAll(async () => {
  tc = await createTestCluster({ workers: 1 });
  await tc.core.cluster.up();
  service = new QueuesService({
    connection: connectionFromUrl(await tc.core.cluster.connectionUrl()),
    cluster: tc.name,
  });
  server = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.end(`hello from the host: ${req.method} ${req.url}`);
  });
  // All interfaces: the containers come in through the bridge's gateway address.
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await service?.close();
  await tc?.cleanup();
});

describe('workers and the host', () => {
  it('refuses the host, a private address, while private networks are not allowed', async () => {
    const { port } = server.address() as AddressInfo;
    const job = await runJob(service, {
      queue: 'http',
      data: { url: `http://host.docker.internal:${port}/ping`, timeoutMs: 10_000 },
    });
    expect(job.state).toBe('failed');
    expect(job.failedReason).toMatch(/workers\.allowPrivateNetworks/);
  });

  it("refuses the host at the cluster network's gateway too, though the worker sits on that network", async () => {
    const network = await testEngineClient().getNetwork(networkName(tc.name)).inspect();
    const gateway = network.IPAM!.Config![0]!.Gateway!;
    const { port } = server.address() as AddressInfo;
    const job = await runJob(service, {
      queue: 'http',
      data: { url: `http://${gateway}:${port}/ping`, timeoutMs: 10_000 },
    });
    expect(job.state).toBe('failed');
    expect(job.failedReason).toMatch(
      /a private or loopback address.*workers\.allowPrivateNetworks/,
    );
  });

  it('an http job reaches a server on the host through host.docker.internal once allowed', async () => {
    await tc.core.settings.patch({ cluster: { workers: { allowPrivateNetworks: true } } });
    await tc.core.cluster.up();
    const { port } = server.address() as AddressInfo;
    const job = await runJob(service, {
      queue: 'http',
      data: { url: `http://host.docker.internal:${port}/ping`, timeoutMs: 10_000 },
    });
    expect(job.failedReason ?? null).toBeNull();
    expect(job.state).toBe('completed');
    expect(job.returnvalue).toMatchObject({
      status: 200,
      body: 'hello from the host: GET /ping',
    });
  });
});
