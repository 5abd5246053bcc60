/**
 * The desktop shell's cluster watch and tray actions against the real engine, Redis and BullMQ:
 * what the tray shows (phase, workers, queue pause state) and what its menu items do.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_QUEUES } from '../../main/shared/worker-contract';
import { createCore, type Core } from '../../main/core';
import { ClusterWatch, trayStateOf, type ClusterView } from '../../main/electron/cluster-watch';
import { flattenTrayMenu, trayMenuModel, type TrayAction } from '../../main/electron/tray-model';
import { poolSpecSchema } from '../../main/settings/pool-spec';
import { findFreePort } from '../../main/util/ports';
import { docker, workerContextDir } from './helpers/test-cluster';

function enabled(view: ClusterView): Record<string, boolean> {
  const items = flattenTrayMenu(trayMenuModel(trayStateOf(view, 'en-US')));
  const result: Record<string, boolean> = {};
  for (const item of items) if (item.type === 'action') result[item.id] = item.enabled;
  return result;
}

async function makeCore(
  name: string,
  options: { pinned?: string } = {},
): Promise<{ core: Core; home: string }> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), `${name}-`));
  const core = createCore({
    home,
    version: 'test',
    workerContextDir,
    env: { ...process.env, GUILDHALL_HOME: home },
  });
  const port = (await findFreePort(21000 + Math.floor(Math.random() * 3000)))!;
  const { settings } = await core.settings.load();
  await core.settings.save({
    ...settings,
    engine: { pinned: options.pinned ?? null },
    app: { ...settings.app, language: 'en' },
    cluster: {
      ...settings.cluster,
      name,
      redis: { ...settings.cluster.redis, port },
      workers: { ...settings.cluster.workers, replicas: 1, stopTimeoutSeconds: 5, memoryMb: 256 },
    },
  });
  return { core, home };
}

describe('cluster watch without an engine', () => {
  it('shows "no engine" with an engine error, and the tray offers no cluster control', async () => {
    const name = `ghshell-${randomBytes(3).toString('hex')}`;
    const { core, home } = await makeCore(name, {
      pinned: `unix://${path.join(os.tmpdir(), `${name}-missing.sock`)}`,
    });
    try {
      const watch = new ClusterWatch({ core });
      const view = await watch.refresh();
      expect(view.phase).toBe('no-engine');
      expect(view.error?.code).toMatch(/^engine-/);
      expect(view.error?.message.length).toBeGreaterThan(0);
      expect(view.prefs?.language).toBe('en');
      expect(enabled(view)).toMatchObject({
        start: false,
        stop: false,
        'add-worker': false,
        'pause-all': false,
        'open-console': true,
        troubleshoot: true,
        quit: true,
      });
      await watch.stop();
    } finally {
      await fs.rm(home, { recursive: true, force: true });
    }
  });
});

describe('cluster watch and tray actions on a real engine', () => {
  const name = `ghshell-${randomBytes(3).toString('hex')}`;
  let core: Core;
  let home: string;
  let watch: ClusterWatch;
  const views: ClusterView[] = [];

  beforeAll(async () => {
    ({ core, home } = await makeCore(name));
    watch = new ClusterWatch({ core, intervalMs: 60_000 });
    watch.onView((view) => views.push(view));
  });

  afterAll(async () => {
    await watch?.stop();
    await core?.cluster.down({ volumes: true }).catch(() => {});
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`io.guildhall.cluster=${name}`] },
    });
    for (const c of left)
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => {});
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  it('before anything runs: phase absent, Start enabled, Stop disabled', async () => {
    const view = await watch.refresh();
    expect(view.phase).toBe('absent');
    expect(view.workers).toEqual({ running: 0, desired: 1 });
    expect(view.queues).toBeNull();
    expect(enabled(view)).toMatchObject({
      start: true,
      stop: false,
      'add-worker': false,
      'pause-all': false,
    });
  });

  it('Start: busy while it runs (a second action is refused), then running with its queues', async () => {
    views.length = 0;
    const started = watch.run('start');
    expect(watch.current.busy).toBe('start');
    expect(enabled(watch.current)).toMatchObject({ start: false, stop: false });
    await expect(watch.run('stop')).resolves.toBe(false);
    await expect(started).resolves.toBe(true);

    expect(views[0]?.busy).toBe('start');
    const view = watch.current;
    expect(view.busy).toBeNull();
    expect(view.phase).toBe('running');
    expect(view.workers).toEqual({ running: 1, desired: 1 });
    expect(view.queues).toEqual({ total: BUILTIN_QUEUES.length, paused: 0 });
    expect(enabled(view)).toMatchObject({
      start: false,
      stop: true,
      'add-worker': true,
      'remove-worker': true,
      'pause-all': true,
      'resume-all': false,
    });
  });

  it('Pause all / Resume all pause and resume every queue in Redis', async () => {
    const password = await core.cluster.password(name);
    const { spec } = await core.cluster.spec();
    const connection = { host: '127.0.0.1', port: spec.redis.port, password };
    const queues = BUILTIN_QUEUES.map((q) => new Queue(q, { connection }));
    try {
      await expect(watch.run('pause-all')).resolves.toBe(true);
      expect(await Promise.all(queues.map((q) => q.isPaused()))).toEqual(queues.map(() => true));
      expect(watch.current.queues).toEqual({
        total: BUILTIN_QUEUES.length,
        paused: BUILTIN_QUEUES.length,
      });
      expect(enabled(watch.current)).toMatchObject({ 'pause-all': false, 'resume-all': true });

      await expect(watch.run('resume-all')).resolves.toBe(true);
      expect(await Promise.all(queues.map((q) => q.isPaused()))).toEqual(queues.map(() => false));
      expect(watch.current.queues?.paused).toBe(0);
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }
  });

  it('Add one / Remove one change the worker count by one', async () => {
    await expect(watch.run('add-worker')).resolves.toBe(true);
    expect(watch.current.workers).toEqual({ running: 2, desired: 2 });
    expect(watch.current.status?.workers.map((w) => w.name)).toEqual([
      `${name}-worker-1`,
      `${name}-worker-2`,
    ]);
    await expect(watch.run('remove-worker')).resolves.toBe(true);
    expect(watch.current.workers).toEqual({ running: 1, desired: 1 });
    expect((await core.settings.load()).settings.cluster.workers.replicas).toBe(1);
  });

  it('with several pools, Add one / Remove one of a pool scale that pool alone', async () => {
    const { settings } = await core.settings.load();
    await core.settings.save({
      ...settings,
      cluster: {
        ...settings.cluster,
        pools: {
          extra: poolSpecSchema.parse({ replicas: 0, memoryMb: 256, stopTimeoutSeconds: 5 }),
        },
      },
    });
    try {
      await watch.refresh();
      expect(watch.current.pools.map((p) => p.name)).toEqual(['worker', 'extra']);
      const items = flattenTrayMenu(trayMenuModel(trayStateOf(watch.current, 'en-US')));
      const add = items.find(
        (i) => i.type === 'action' && i.id === 'add-worker' && i.pool === 'extra',
      );
      expect(add).toMatchObject({ enabled: true });

      await expect(watch.run('add-worker', 'extra')).resolves.toBe(true);
      const pools = () => watch.current.status?.pools.map((p) => [p.name, p.desired, p.running]);
      expect(pools()).toEqual([
        ['worker', 1, 1],
        ['extra', 1, 1],
      ]);
      expect(watch.current.status?.workers.map((w) => w.name)).toContain(`${name}-extra-1`);
      await expect(watch.run('remove-worker', 'extra')).resolves.toBe(true);
      expect(pools()).toEqual([
        ['worker', 1, 1],
        ['extra', 0, 0],
      ]);
      expect((await core.settings.load()).settings.cluster.workers.replicas).toBe(1);
    } finally {
      const { settings: now } = await core.settings.load();
      await core.settings.save({ ...now, cluster: { ...now.cluster, pools: {} } });
    }
  });

  it('Stop removes the containers; the tray offers Start again', async () => {
    await expect(watch.run('stop')).resolves.toBe(true);
    expect(watch.current.phase).toBe('absent');
    expect(watch.current.queues).toBeNull();
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`io.guildhall.cluster=${name}`] },
    });
    expect(left).toEqual([]);
    const actions: Partial<Record<TrayAction, boolean>> = enabled(watch.current);
    expect(actions).toMatchObject({ start: true, stop: false, 'pause-all': false });
  });
});
