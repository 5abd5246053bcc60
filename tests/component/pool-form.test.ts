/**
 * The pools editor's model against the core's own pool schema: what the editor accepts, the core
 * accepts as the same pool; what it refuses as typed (bad names, package names with shell
 * characters, image references, autoscale min over max, the 64-container total) the core refuses
 * too; and the server's field paths land on the editor's fields.
 */
import { describe, expect, it } from 'vitest';
import { clusterSpecSchema } from '../../main/settings/cluster-spec';
import { poolSpecSchema } from '../../main/settings/pool-spec';
import {
  emptyPoolForm,
  formFromPool,
  poolFromForm,
  serverPoolErrors,
  validatePool,
  type PoolForm,
} from '../../renderer/src/lib/pools/pool-form';

const context = { otherNames: ['celery'], otherReplicas: 2 };

function form(change: Partial<PoolForm>): PoolForm {
  return { ...emptyPoolForm(), name: 'tools', ...change };
}

describe('pool form', () => {
  it('carries the network options; a custom pool has no private-network rule of its own', () => {
    const builtin = poolFromForm(form({ internalNetwork: true, allowPrivateNetworks: true }));
    expect(poolSpecSchema.parse(builtin)).toEqual(builtin);
    expect([builtin.network, builtin.allowPrivateNetworks]).toEqual(['internal', true]);
    expect(formFromPool('tools', builtin)).toMatchObject({
      internalNetwork: true,
      allowPrivateNetworks: true,
    });
    const custom = poolFromForm(
      form({
        kind: 'custom',
        image: 'my-celery:1',
        internalNetwork: true,
        allowPrivateNetworks: true,
      }),
    );
    expect(poolSpecSchema.parse(custom)).toEqual(custom);
    expect([custom.network, custom.allowPrivateNetworks]).toEqual(['internal', false]);
    expect(poolFromForm(form({})).network).toBe('default');
  });

  it('turns a valid built-in pool into the pool the core parses to the same value', () => {
    const f = form({
      packages: 'git python3 curl',
      queues: 'shell, agent-tasks:shell',
      shell: true,
    });
    expect(validatePool(f, context)).toEqual({});
    // Without shell on, naming the shell processor is refused here as the core refuses it.
    const off = { ...f, shell: false };
    expect(validatePool(off, context).queues?.key).toBe('pools.validation.shellOff');
    expect(poolSpecSchema.safeParse(poolFromForm(off)).success).toBe(false);
    const pool = poolFromForm(f);
    expect(poolSpecSchema.parse(pool)).toEqual(pool);
    expect(pool.packages).toEqual(['git', 'python3', 'curl']);
    expect(pool.queues).toEqual(['shell', { name: 'agent-tasks', processor: 'shell' }]);
    expect(formFromPool('tools', pool)).toEqual(f);
  });

  it('turns a custom pool with autoscale into the core value, and back', () => {
    const f = form({
      kind: 'custom',
      image: 'guildhall-offline/celery:bookworm',
      command: 'celery -A tasks worker -Q claude_tasks',
      healthcheck: 'CMD celery -A tasks inspect ping',
      watchCelery: 'claude_tasks',
      autoscale: {
        enabled: true,
        min: '0',
        max: '4',
        backlogPerWorker: '10',
        cooldownSeconds: '30',
      },
    });
    expect(validatePool(f, context)).toEqual({});
    const pool = poolFromForm(f);
    expect(poolSpecSchema.parse(pool)).toEqual(pool);
    expect(pool.autoscale).toEqual({ min: 0, max: 4, backlogPerWorker: 10, cooldownSeconds: 30 });
    expect(formFromPool('tools', pool)).toEqual(f);
  });

  it('refuses as typed what the core refuses, at the field', () => {
    const cases: [Partial<PoolForm>, string][] = [
      [{ packages: 'git;id' }, 'packages'],
      [{ packages: 'Git' }, 'packages'],
      [{ kind: 'custom', image: 'My Image' }, 'image'],
      [{ secrets: 'BAD-NAME' }, 'secrets'],
      [{ replicas: '65' }, 'replicas'],
      [{ concurrency: '0' }, 'concurrency'],
      [
        {
          autoscale: {
            enabled: true,
            min: '5',
            max: '2',
            backlogPerWorker: '1',
            cooldownSeconds: '0',
          },
        },
        'autoscale',
      ],
    ];
    for (const [change, field] of cases) {
      const f = form(change);
      expect(Object.keys(validatePool(f, context)), JSON.stringify(change)).toContain(field);
      const core = poolSpecSchema.safeParse(poolFromForm({ ...f }));
      expect(core.success, JSON.stringify(change)).toBe(false);
    }
  });

  it('refuses reserved and taken names, and a total over 64 containers', () => {
    expect(validatePool(form({ name: 'redis' }), context).name?.key).toBe(
      'pools.validation.reserved',
    );
    expect(validatePool(form({ name: 'worker' }), context).name?.key).toBe(
      'pools.validation.reserved',
    );
    expect(validatePool(form({ name: 'celery' }), context).name?.key).toBe(
      'pools.validation.duplicate',
    );
    expect(validatePool(form({ name: 'Tools' }), context).name?.key).toBe('pools.validation.name');
    const over = validatePool(form({ replicas: '63' }), context);
    expect(over.replicas).toMatchObject({ key: 'pools.validation.total', params: { free: 62 } });
    const spec = clusterSpecSchema.safeParse({
      workers: { replicas: 2 },
      pools: { tools: poolFromForm(form({ replicas: '63' })) },
    });
    expect(spec.success).toBe(false);
  });

  it("maps the server's paths onto the editor's fields", () => {
    const errors = serverPoolErrors(
      [
        'cluster.pools.tools.packages.0',
        'cluster.pools.tools.build.context',
        'cluster.pools.tools.mounts.0.source',
        'cluster.pools.other.replicas',
      ],
      'Settings not saved: …',
      'tools',
    );
    expect(Object.keys(errors).sort()).toEqual(['buildContext', 'mountRows', 'packages']);
    expect(errors.mountRows?.[0]?.source?.text).toBe('Settings not saved: …');
    expect(errors.packages?.text).toBe('Settings not saved: …');
    expect(Object.keys(serverPoolErrors(['cluster.pools'], 'm', 'tools'))).toEqual(['replicas']);
    expect(
      Object.keys(serverPoolErrors(['cluster.pools.tools.autoscale.min'], 'm', 'tools')),
    ).toEqual(['autoscale']);
  });
});
