/**
 * The pool spec's rules: what a pool is (built-in or custom) follows from its fields, fields of
 * the other kind are refused by name, names and packages are checked, and all pools together
 * stay within MAX_WORKERS. A settings file from before pools loads as the one default pool.
 */
import { describe, expect, it } from 'vitest';
import { clusterPools, clusterSpecSchema, totalReplicas } from '../../main/settings/cluster-spec';
import { poolKind, poolSpecSchema } from '../../main/settings/pool-spec';

function issues(input: unknown): string[] {
  const parsed = clusterSpecSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('pool spec', () => {
  it('loads a spec from before pools as the one default pool, named worker', () => {
    const spec = clusterSpecSchema.parse({ workers: { replicas: 3, concurrency: 5 } });
    expect(spec.pools).toEqual({});
    const pools = clusterPools(spec);
    expect(pools.map((p) => [p.name, p.kind, p.spec.replicas, p.spec.concurrency])).toEqual([
      ['worker', 'builtin', 3, 5],
    ]);
  });

  it('tells built-in from custom pools by their fields, default pool first, others by name', () => {
    const spec = clusterSpecSchema.parse({
      workers: { replicas: 1 },
      pools: {
        tools: {
          replicas: 2,
          packages: ['python3', 'git'],
          shell: true,
          queues: ['shell', { name: 'agent-tasks', processor: 'shell' }],
        },
        celery: {
          image: 'my-celery:latest',
          command: ['celery', '-A', 'tasks', 'worker'],
          watch: { celery: ['claude_tasks'] },
        },
      },
    });
    expect(clusterPools(spec).map((p) => [p.name, p.kind])).toEqual([
      ['worker', 'builtin'],
      ['celery', 'custom'],
      ['tools', 'builtin'],
    ]);
    expect(totalReplicas(spec)).toBe(4);
    expect(poolKind(poolSpecSchema.parse({ build: { context: './celery' } }))).toBe('custom');
  });

  it('refuses fields of the other kind, naming the field', () => {
    expect(issues({ pools: { tools: { command: ['x'] } } })).toEqual([
      'pools.tools.command: only a custom pool (with image or build) takes a command or healthcheck',
    ]);
    expect(issues({ pools: { c: { image: 'x', packages: ['git'] } } })[0]).toMatch(
      /^pools\.c\.packages: a custom pool/,
    );
    expect(issues({ pools: { c: { image: 'x', build: { context: '.' } } } })[0]).toMatch(
      /^pools\.c\.build: give either image or build/,
    );
  });

  it('refuses package names that could carry shell, bad pool names and reserved ones', () => {
    expect(issues({ pools: { tools: { packages: ['git; rm -rf /'] } } })).toEqual([
      'pools.tools.packages.0: is not a Debian package name',
    ]);
    expect(issues({ pools: { tools: { packages: ['$(id)'] } } })).toHaveLength(1);
    expect(issues({ pools: { Tools: {} } })[0]).toMatch(/^pools\.Tools/);
    expect(issues({ pools: { redis: {} } })[0]).toMatch(/^pools\.redis: "redis" is the broker/);
    expect(issues({ pools: { worker: {} } })[0]).toMatch(/^pools\.worker: the default pool/);
  });

  it('runs shell jobs only where asked: on for the default pool, off for others', () => {
    const spec = clusterSpecSchema.parse({ pools: { tools: {} } });
    expect(clusterPools(spec).map((p) => [p.name, p.spec.shell])).toEqual([
      ['worker', true],
      ['tools', false],
    ]);
    expect(issues({ pools: { tools: { queues: ['echo', 'shell'] } } })).toEqual([
      'pools.tools.queues.1: runs the shell processor, which is off for this pool: set shell: true (its jobs run commands, with the Redis password in reach)',
    ]);
    expect(
      issues({ pools: { t: { queues: [{ name: 'agent', processor: 'shell' }] } } })[0],
    ).toMatch(/^pools\.t\.queues\.0: runs the shell processor/);
    expect(issues({ workers: { shell: false, queues: ['shell'] } })[0]).toMatch(
      /^workers\.queues\.0: runs the shell processor/,
    );
    expect(issues({ pools: { c: { image: 'x', shell: true } } })[0]).toMatch(
      /^pools\.c\.shell: only a built-in pool/,
    );
  });

  it('keeps all pools together within 64 containers', () => {
    expect(
      issues({ workers: { replicas: 40 }, pools: { a: { replicas: 20 }, b: { replicas: 5 } } }),
    ).toEqual(['pools: at most 64 containers in all pools together (asked for 65)']);
    expect(issues({ workers: { replicas: 40 }, pools: { a: { replicas: 24 } } })).toEqual([]);
  });
});
