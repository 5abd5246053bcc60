/**
 * `guildhall apply FILE` and `guildhall spec` as a user runs them, against a real engine: the
 * spec printed as a file applies back with no changes; a file that scales the default pool shows
 * the plan, then runs it; every bad file is refused with its place named and nothing saved.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCluster, type TestCluster } from './helpers/test-cluster';
import { runCli } from './helpers/run-cli';

let cluster: TestCluster;
let settingsBefore: string;

beforeAll(async () => {
  cluster = await createTestCluster({ workers: 1 });
  await cluster.core.cluster.up();
});
afterAll(async () => {
  await cluster?.cleanup();
});

async function writeFile(name: string, text: string): Promise<string> {
  const file = path.join(cluster.home, name);
  await fs.writeFile(file, text);
  return file;
}

function settingsText(): Promise<string> {
  return fs.readFile(cluster.core.settings.paths.settings, 'utf8');
}

describe('guildhall apply and spec', () => {
  it('spec prints the cluster as a file, and applying it back plans nothing', async () => {
    const spec = await runCli(['spec'], cluster.env);
    expect(spec.code).toBe(0);
    expect(spec.stdout).toContain(`name: ${cluster.name}`);
    expect(spec.stdout).toMatch(/pools:\n {2}worker:\n {4}replicas: 1\n/);
    const file = await writeFile('cluster.yaml', spec.stdout);
    const dry = await runCli(['apply', file, '--dry-run'], cluster.env);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`Plan for cluster ${cluster.name}:`);
    expect(dry.stdout).toMatch(/redis\s+no changes/);
    expect(dry.stdout).toMatch(/No changes\.\n$/);
    const json = await runCli(['apply', file, '--dry-run', '--json'], cluster.env);
    expect(JSON.parse(json.stdout)).toMatchObject({ applied: false, plan: { changes: false } });
  });

  it('a file that scales the worker pool prints the plan, saves it and runs up', async () => {
    const file = await writeFile(
      'scaled.yaml',
      `name: ${cluster.name}\npools:\n  worker:\n    replicas: 2\n    memoryMb: 512\n    stopTimeoutSeconds: 10\n`,
    );
    const dry = await runCli(['apply', file, '--dry-run'], cluster.env);
    expect(dry.stdout).toMatch(new RegExp(`create\\s+${cluster.name}-worker-2`));
    expect(dry.stdout).not.toMatch(/replace/);
    expect(JSON.parse(await settingsText()).cluster.workers.replicas).toBe(1); // dry run: unsaved

    const applied = await runCli(['apply', file, '--plain'], cluster.env);
    expect(applied.stderr).not.toMatch(/guildhall: /);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(new RegExp(`create\\s+${cluster.name}-worker-2`));
    expect(applied.stdout).toMatch(/is ready/);
    const status = await cluster.core.cluster.status();
    expect(status.workers.map((w) => w.name)).toEqual([
      `${cluster.name}-worker-1`,
      `${cluster.name}-worker-2`,
    ]);
    expect((await runCli(['spec', '--json'], cluster.env)).stdout).toContain('"replicas":2');
    settingsBefore = await settingsText();
  });

  it("a file's queue limits reach Redis; `limits` changes are kept in the spec", async () => {
    const spec = (await runCli(['spec'], cluster.env)).stdout;
    const file = await writeFile(
      'limits.yaml',
      `${spec}queues:\n  shell: { concurrency: 1 }\n  http: { rateLimit: { max: 5, durationMs: 1000 } }\n`,
    );
    const dry = await runCli(['apply', file, '--dry-run'], cluster.env);
    expect(dry.stdout).toMatch(/limits\s+http: rate 5\/1000 ms/);
    expect(dry.stdout).toMatch(/limits\s+shell: concurrency 1/);
    const applied = await runCli(['apply', file, '--plain'], cluster.env);
    expect(applied.code).toBe(0);
    const read = async () =>
      JSON.parse((await runCli(['limits', '--json'], cluster.env)).stdout) as {
        queue: string;
        concurrency: number | null;
        rateLimit: unknown;
      }[];
    // Read from Redis, as every worker obeys them.
    expect(await read()).toEqual(
      expect.arrayContaining([
        { queue: 'shell', concurrency: 1, rateLimit: null },
        { queue: 'http', concurrency: null, rateLimit: { max: 5, durationMs: 1000 } },
      ]),
    );
    // A change through `limits` is recorded, so `spec` prints what is in force.
    expect((await runCli(['limits', 'shell', '--concurrency', '3'], cluster.env)).code).toBe(0);
    expect((await runCli(['spec'], cluster.env)).stdout).toMatch(/shell:\n\s+concurrency: 3/);
    // Applying a file that no longer names a queue lifts its limits.
    const lifted = await writeFile('lifted.yaml', `${spec}queues:\n  shell: { concurrency: 3 }\n`);
    expect((await runCli(['apply', lifted, '--plain'], cluster.env)).code).toBe(0);
    expect((await read()).find((l) => l.queue === 'http')).toMatchObject({
      concurrency: null,
      rateLimit: null,
    });
    const back = await writeFile('back.yaml', spec);
    expect((await runCli(['apply', back, '--plain'], cluster.env)).code).toBe(0);
    expect((await runCli(['spec'], cluster.env)).stdout).not.toContain('queues:');
    settingsBefore = await settingsText();
  });

  it('bad files are refused, naming what is wrong, and nothing is saved', async () => {
    settingsBefore ??= await settingsText();
    const cases: [string, string, RegExp][] = [
      [
        'syntax.yaml',
        'pools:\n  worker: { replicas: 1\n  tools: {}\n',
        /syntax\.yaml:3:\d+: .*\(line 3, column \d+\)/,
      ],
      [
        'unknown.yaml',
        'pools:\n  tools: { pakages: [git] }\n',
        /pools\.tools\.pakages: unknown field "pakages"/,
      ],
      ['dup.yaml', 'pools:\n  tools: {}\n  tools: {}\n', /duplicated mapping key/],
      [
        'shell.yaml',
        'pools:\n  tools: { packages: ["git;id"] }\n',
        /pools\.tools\.packages\[0\]: is not a Debian package name \("git;id"\)/,
      ],
      [
        'image.yaml',
        'pools:\n  celery: { image: "Bad Image!" }\n',
        /pools\.celery\.image: is not an image reference/,
      ],
      [
        'root.yaml',
        'pools:\n  tools: { mounts: [{ source: /, target: /w }] }\n',
        /pools\.tools\.mounts\[0\]\.source: \/ is the root of the file system/,
      ],
      [
        'many.yaml',
        'pools:\n  worker: { replicas: 60 }\n  tools: { replicas: 5 }\n',
        /at most 64 containers in all pools together \(asked for 65\)/,
      ],
      [
        'rename.yaml',
        'name: another-cluster\npools:\n  worker: { replicas: 1 }\n',
        /names cluster "another-cluster", but cluster "ghtest-[0-9a-f]+" is running/,
      ],
      [
        'nodockerfile.yaml',
        'pools:\n  tools: { dockerfile: ./missing.Dockerfile }\n',
        /The Dockerfile of pool "tools" is missing: .*missing\.Dockerfile/,
      ],
    ];
    for (const [name, text, expected] of cases) {
      const file = await writeFile(name, text);
      const result = await runCli(['apply', file], cluster.env);
      expect(result.code, `${name}: ${result.stderr}`).toBe(2);
      expect(result.stderr, name).toMatch(expected);
      expect(result.stderr, name).toMatch(/\n {2}fix: /);
      expect(await settingsText(), name).toBe(settingsBefore);
    }
    const missing = await runCli(['apply', path.join(cluster.home, 'nope.yaml')], cluster.env);
    expect(missing.code).toBe(6);
    expect(missing.stderr).toContain('Cluster file not found');
  });

  it("image build [POOL] builds one pool's image or names the pools there are", async () => {
    const one = await runCli(['image', 'build', 'worker', '--json'], cluster.env);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).images.worker).toMatch(/^guildhall\/worker:[0-9a-f]{12}$/);
    const none = await runCli(['image', 'build', 'nosuch'], cluster.env);
    expect(none.code).toBe(6);
    expect(none.stderr).toMatch(/No pool "nosuch"[\s\S]*fix: Its pools are: worker/);
  });

  it('an apply whose up fails puts the previous settings back', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const before = await settingsText();
      const file = await writeFile(
        'taken.yaml',
        `redis: { port: ${taken} }\npools:\n  worker: { replicas: 2 }\n`,
      );
      const result = await runCli(['apply', file, '--plain'], cluster.env);
      expect(result.code).toBe(4);
      expect(result.stdout).toMatch(/redis\s+replace \(port \d+ → \d+\)/);
      expect(await settingsText()).toBe(before);
    } finally {
      blocker.close();
    }
  });
});
