/**
 * The cluster file users keep in version control: YAML or JSON in, the settings' spec out, with
 * `pools.worker` as the workers section, paths resolved against the file, and every mistake
 * named by its place in the file (line and column, or field path) before anything is saved.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  formatFilePath,
  parseClusterFile,
  specToFile,
  specToYaml,
} from '../../main/settings/cluster-file';
import { settingsSchema, type Settings } from '../../main/settings/settings-schema';
import { GuildhallError } from '../../main/util/errors';

// Real folders: a mount's source must exist (the settings rules check it).
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ghtest-cluster-file-'));
const home = path.join(root, 'home');
const stack = path.join(root, 'stack');
const file = path.join(stack, 'cluster.yaml');
fs.mkdirSync(path.join(home, 'projects'), { recursive: true });
fs.mkdirSync(stack, { recursive: true });
/** A folder in the real home folder, for `~` without a home given. */
const inRealHome = fs.mkdtempSync(path.join(os.homedir(), '.ghtest-cluster-file-'));

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(inRealHome, { recursive: true, force: true });
});

function current(): Settings {
  const settings = settingsSchema.parse({});
  return {
    ...settings,
    cluster: {
      ...settings.cluster,
      name: 'mycluster',
      redis: { ...settings.cluster.redis, port: 6390 },
    },
  };
}

function parse(text: string, at = file) {
  return parseClusterFile(text, at, current(), home);
}

function failure(text: string, at = file): GuildhallError {
  try {
    parse(text, at);
  } catch (err) {
    if (err instanceof GuildhallError) return err;
    throw err;
  }
  throw new Error('expected the file to be refused');
}

const ISSUE_EXAMPLE = `
name: mycluster
redis: { port: 6380, persistence: everysec }
pools:
  worker:
    replicas: 2
    concurrency: 10
  tools:
    replicas: 1
    packages: [python3, git, curl]
    dockerfile: ./tools.Dockerfile
    shell: true
    queues:
      - shell
      - { name: agent-tasks, processor: shell }
    env: { TZ: Asia/Tokyo }
    secrets: [ANTHROPIC_API_KEY]
    mounts: [{ source: ~/projects, target: /workspace, readOnly: false }]
    cpus: 1
    memoryMb: 1024
  celery:
    image: my-celery:latest
    command: [celery, -A, tasks, worker, -Q, claude_tasks]
    replicas: 2
    watch: { celery: [claude_tasks] }
    healthcheck: [CMD, celery, -A, tasks, inspect, ping]
`;

describe('cluster file', () => {
  it("reads the issue's example: pools.worker is the workers section, paths resolved", () => {
    const { spec } = parse(ISSUE_EXAMPLE);
    expect(spec.name).toBe('mycluster');
    expect(spec.redis.port).toBe(6380);
    expect(spec.workers.replicas).toBe(2);
    expect(Object.keys(spec.pools).sort()).toEqual(['celery', 'tools']);
    const tools = spec.pools.tools!;
    expect(tools.dockerfile).toBe(path.join(stack, 'tools.Dockerfile'));
    expect(tools.mounts).toEqual([
      { source: path.join(home, 'projects'), target: '/workspace', readOnly: false },
    ]);
    expect(tools.queues).toEqual(['shell', { name: 'agent-tasks', processor: 'shell' }]);
    expect(spec.pools.celery!.watch.celery).toEqual(['claude_tasks']);
  });

  it('reads JSON (tab-indented too) the same way', () => {
    const json = JSON.stringify(
      { name: 'mycluster', pools: { worker: { replicas: 1 }, tools: { packages: ['git'] } } },
      null,
      '\t',
    );
    const { spec } = parse(json, path.join(stack, 'cluster.json'));
    expect(spec.pools.tools!.packages).toEqual(['git']);
    expect(spec.workers.replicas).toBe(1);
  });

  it('keeps the current name and Redis port when the file leaves them out; no worker pool = 0', () => {
    const { spec } = parse('pools:\n  tools: { replicas: 2 }\n');
    expect(spec.name).toBe('mycluster');
    expect(spec.redis.port).toBe(6390);
    expect(spec.workers.replicas).toBe(0);
    expect(spec.pools.tools!.replicas).toBe(2);
  });

  it('resolves build.context and processorsDir against the file, ~ against home', () => {
    const { spec } = parse(
      'pools:\n  worker: { processorsDir: ./processors }\n  celery: { build: { context: ../celery } }\n',
    );
    expect(spec.workers.processorsDir).toBe(path.join(stack, 'processors'));
    expect(spec.pools.celery!.build).toEqual({
      context: path.join(root, 'celery'),
      dockerfile: 'Dockerfile',
    });
  });

  it('a YAML syntax error names line and column', () => {
    const err = failure('name: x\npools:\n  tools: { replicas: 1\n  other: {}\n');
    expect(err.code).toBe('invalid-input');
    expect(err.message).toMatch(/cluster\.yaml:\d+:\d+: .*\(line \d+, column \d+\)/);
    expect(err.message).toMatch(/Nothing was saved/);
    expect(err.hint).toMatch(/line \d+, column \d+/);
  });

  it('a pool named twice is refused at the second one', () => {
    const err = failure('pools:\n  tools: { replicas: 1 }\n  tools: { replicas: 2 }\n');
    expect(err.message).toMatch(/duplicated mapping key/);
    expect(err.message).toContain('cluster.yaml:3:');
    expect(err.hint).toMatch(/only once/);
  });

  it('an unknown field is refused by name, listing what the section takes', () => {
    const err = failure('pools:\n  tools:\n    pakages: [git]\n');
    expect(err.message).toContain('pools.tools.pakages: unknown field "pakages"');
    expect(err.message).toContain('packages');
    const top = failure('name: x\nworkers: { replicas: 1 }\n');
    expect(top.message).toContain('workers: unknown field "workers"');
    const worker = failure('pools:\n  worker: { image: "x:1" }\n');
    expect(worker.message).toContain('pools.worker.image: unknown field "image"');
    const nested = failure(
      'pools:\n  tools: { mounts: [{ source: /srv, target: /w, mode: ro }] }\n',
    );
    expect(nested.message).toMatch(/pools\.tools\.mounts\[0\]: unknown field "mode"/);
  });

  it('a package name with shell metacharacters is named by its path, with the value', () => {
    const err = failure('pools:\n  tools: { packages: [python3, "git; rm -rf /"] }\n');
    expect(err.message).toContain(
      'pools.tools.packages[1]: is not a Debian package name ("git; rm -rf /")',
    );
    expect((err.details?.issues as { path: string }[])[0]!.path).toBe('pools.tools.packages[1]');
    expect(err.hint).toMatch(/^Use Debian package names as apt knows them/);
  });

  it('an invalid image reference is refused', () => {
    const err = failure('pools:\n  celery: { image: "My Celery:latest" }\n');
    expect(err.message).toContain('pools.celery.image: is not an image reference');
    expect(() =>
      parse('pools:\n  celery: { image: "ghcr.io:443/acme/celery:1.2" }\n'),
    ).not.toThrow();
  });

  it('mounting / is refused by the settings rules, at its place in the file', () => {
    const err = failure('pools:\n  tools: { mounts: [{ source: /, target: /workspace }] }\n');
    expect(err.message).toMatch(
      /pools\.tools\.mounts\[0\]\.source: \/ is the root of the file system/,
    );
    expect(err.message).toMatch(/Nothing was saved/);
  });

  it('more than 64 containers in all pools together is refused', () => {
    const err = failure('pools:\n  worker: { replicas: 40 }\n  tools: { replicas: 30 }\n');
    expect(err.message).toMatch(
      /pools: at most 64 containers in all pools together \(asked for 70\)/,
    );
  });

  it('a wrong value names its path in the file, worker pool included', () => {
    const err = failure('pools:\n  worker: { replicas: -1, env: { NODE_OPTIONS: x } }\n');
    expect(err.message).toContain('pools.worker.replicas');
    expect(err.message).toContain('pools.worker.env.NODE_OPTIONS');
    expect(err.message).not.toContain('"x"'); // env values may be secrets: never repeated
    expect(failure('name: [1]\n').message).toContain('name: ');
    expect(failure('- a\n- b\n').message).toMatch(/must be a mapping/);
  });

  it('round trip: the spec written as a file reads back to the same spec', () => {
    const { spec } = parse(ISSUE_EXAMPLE);
    const again = parseClusterFile(specToYaml(spec), '/elsewhere/f.yaml', current(), home).spec;
    expect(again).toEqual(spec);
    const written = specToFile(spec) as { pools: Record<string, Record<string, unknown>> };
    expect(Object.keys(written.pools)).toEqual(['worker', 'celery', 'tools']);
    expect(written.pools.celery).not.toHaveProperty('packages');
    expect(written.pools.tools).not.toHaveProperty('image');
  });

  it('reads supervisor, queue limits, autoscale and an external Redis, and writes them back', () => {
    fs.writeFileSync(path.join(stack, 'ca.pem'), 'not checked here');
    const text = `
redis:
  external: { url: "rediss://app@redis.example:6380", passwordSecret: REDIS_PW, caFile: ./ca.pem }
supervisor: { unhealthyChecks: 5, memoryMarginMb: 1024 }
queues:
  shell: { concurrency: 1 }
  http: { rateLimit: { max: 10, durationMs: 1000 } }
pools:
  worker: { replicas: 1, autoscale: { min: 1, max: 6, backlogPerWorker: 50 } }
`;
    const { spec } = parse(text);
    expect(spec.redis.external).toEqual({
      url: 'rediss://app@redis.example:6380',
      passwordSecret: 'REDIS_PW',
      caFile: path.join(stack, 'ca.pem'),
    });
    expect(spec.supervisor).toMatchObject({ unhealthyChecks: 5, memoryMarginMb: 1024 });
    expect(spec.queues).toEqual({
      http: { concurrency: null, rateLimit: { max: 10, durationMs: 1000 } },
      shell: { concurrency: 1, rateLimit: null },
    });
    expect(spec.workers.autoscale).toEqual({
      min: 1,
      max: 6,
      backlogPerWorker: 50,
      cooldownSeconds: 60,
    });
    const again = parseClusterFile(specToYaml(spec), '/elsewhere/f.yaml', current(), home).spec;
    expect(again).toEqual(spec);
    // A file without them takes the defaults: no limits, supervisor as it comes.
    const plain = parse('pools:\n  worker: { replicas: 1 }\n').spec;
    expect(plain.queues).toEqual({});
    expect(plain.supervisor.unhealthyChecks).toBe(3);
    expect(specToFile(plain)).not.toHaveProperty('supervisor');
    expect(specToFile(plain)).not.toHaveProperty('queues');
  });

  it('bad limits, autoscale, supervisor fields and a Redis URL with a password are named', () => {
    const limits = failure('queues:\n  shell: { concurrency: 0 }\n');
    expect(limits.message).toContain('queues.shell.concurrency');
    expect(limits.hint).toMatch(/most jobs of the queue active at once/);
    expect(failure('queues:\n  "bad name!": {}\n').message).toContain('queues');
    const scale = failure('pools:\n  worker: { autoscale: { min: 5, max: 2 } }\n');
    expect(scale.message).toContain('pools.worker.autoscale.min');
    expect(scale.hint).toMatch(/min ≤ max/);
    expect(failure('supervisor: { healEvery: 1 }\n').message).toContain('supervisor.healEvery');
    const url = failure('redis:\n  external: { url: "redis://u:hunter2@h:6379" }\n');
    expect(url.message).toContain('redis.external.url');
    expect(url.message).toMatch(/secret set/);
    expect(`${url.message} ${url.hint}`).not.toContain('hunter2');
  });

  it('formats paths as written in the file', () => {
    expect(formatFilePath(['pools', 'tools', 'packages', 0])).toBe('pools.tools.packages[0]');
    expect(formatFilePath([])).toBe('(the file)');
  });

  it('uses the real home folder by default', () => {
    const { spec } = parseClusterFile(
      `pools:\n  tools: { mounts: [{ source: ~/${path.basename(inRealHome)}, target: /x }] }\n`,
      file,
      current(),
    );
    expect(spec.pools.tools!.mounts[0]!.source).toBe(inRealHome);
  });
});
