/**
 * A pool with the tools and secrets its jobs need, beside the plain default pool, on a real
 * engine (issue 14): `packages: [python3, git]` are baked into that pool's image, a queue only it
 * serves runs `python3` and `git`, and the secret it names reaches its shell jobs; the default
 * pool has neither the tools nor the secret. A pool that did not opt in to shell jobs serves
 * every built-in queue but shell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueuesService } from '../../main/queues/index';
import { setUserSecret } from '../../main/settings/user-secrets';
import { connectionFromUrl, runJob } from './helpers/cluster-jobs-kit';
import { createTestCluster, type TestCluster } from './helpers/test-cluster';

const SECRET = 'tools-token-5f1c2a9e';

let tc: TestCluster;
let service: QueuesService;

beforeAll(async () => {
  tc = await createTestCluster({ workers: 1 });
  await setUserSecret(tc.core.secrets, 'TOOLS_TOKEN', SECRET);
  await tc.core.settings.patch({
    cluster: {
      pools: {
        tools: {
          replicas: 1,
          packages: ['python3', 'git'],
          shell: true,
          queues: [{ name: 'tools-shell', processor: 'shell' }],
          secrets: ['TOOLS_TOKEN'],
        },
        // No shell: true, no queues: every built-in queue but shell.
        quiet: { replicas: 1 },
      },
    },
  });
  // A cold build installs the packages with apt (tens of seconds); later runs reuse the image.
  await tc.core.cluster.up({ timeoutMs: 240_000 });
  service = new QueuesService({
    connection: connectionFromUrl(await tc.core.cluster.connectionUrl()),
    cluster: tc.name,
  });
}, 600_000);

afterAll(async () => {
  await service?.close();
  await tc?.cleanup();
});

async function shell(queue: string, script: string) {
  const job = await runJob(service, { queue, data: { command: ['sh', '-c', script] } });
  expect(job.failedReason ?? null).toBeNull();
  return job;
}

describe('a pool with tools and a secret', () => {
  it('runs python3 and git on the queue only that pool serves, in that pool', async () => {
    // A container's hostname is its name: which pool ran the job.
    const job = await shell(
      'tools-shell',
      'hostname && python3 -c "print(6 * 7)" && git --version',
    );
    expect(JSON.stringify(job.returnvalue)).toContain(`${tc.name}-tools-1`);
    expect(JSON.stringify(job.returnvalue)).toMatch(/42\\n/);
    expect(JSON.stringify(job.returnvalue)).toMatch(/git version \d/);
  });

  it('gives the secret to that pool as a file and an env var, and not to the plain pool', async () => {
    const tools = await shell(
      'tools-shell',
      'printf "%s|%s" "$TOOLS_TOKEN" "$(cat /run/secrets/TOOLS_TOKEN)"',
    );
    expect(JSON.stringify(tools.returnvalue)).toContain(`${SECRET}|${SECRET}`);

    const plain = await shell(
      'shell',
      'printf "%s|%s|%s|%s" "$(hostname)" "${TOOLS_TOKEN:-absent}" ' +
        '"$(ls /run/secrets 2>/dev/null | wc -l)" "$(command -v python3 git || echo none)"',
    );
    expect(JSON.stringify(plain.returnvalue)).toContain(`${tc.name}-worker-1|`);
    expect(JSON.stringify(plain.returnvalue)).toContain('absent|0|none');
  });

  it('a pool that did not ask for shell jobs consumes every built-in queue but shell', async () => {
    const queuesOf = async (name: string) => {
      let queues: string[] = [];
      for (let i = 0; i < 50 && queues.length === 0; i++) {
        queues = (await service.listWorkers()).find((w) => w.name === name)?.queues ?? [];
        if (queues.length === 0) await new Promise((r) => setTimeout(r, 200));
      }
      return queues;
    };
    const quiet = await queuesOf(`${tc.name}-quiet-1`);
    expect(quiet).toContain('echo');
    expect(quiet).toContain('http');
    expect(quiet).not.toContain('shell');
    expect(await queuesOf(`${tc.name}-worker-1`)).toContain('shell');
  });
});
