import { describe, expect, it } from 'vitest';
import type { ApiClusterStatus } from '../../renderer/src/lib/api/client';
import { cleanupPlan, nothingLeft } from '../../renderer/src/lib/wizard/cleanup-plan';
import {
  configFromSettings,
  configPatch,
  fieldsFromServer,
  validateConfig,
} from '../../renderer/src/lib/wizard/config-model';
import {
  applyProvisionEvent,
  createProvisionModel,
  finishProvision,
  registeredWorkers,
  type ProgressInput,
} from '../../renderer/src/lib/wizard/provision-model';
import { settingsFixture } from './fixtures/settings-fixture';

const ev = (e: Omit<ProgressInput, 'at'> & { at?: number }): ProgressInput => ({ at: 0, ...e });

describe('provision model', () => {
  it('splits an image pull into per-layer bytes from the running totals', () => {
    const m = createProvisionModel(1);
    const ref = 'redis:7';
    applyProvisionEvent(
      m,
      ev({ step: 'image', target: ref, status: 'running', message: 'pulling', at: 1 }),
    );
    // Layer a (100 bytes) appears, then layer b (300 bytes); each event moves one layer.
    applyProvisionEvent(
      m,
      ev({
        step: 'image',
        target: ref,
        status: 'running',
        item: 'a',
        message: 'Downloading',
        bytesDone: 10,
        bytesTotal: 100,
        at: 2,
      }),
    );
    applyProvisionEvent(
      m,
      ev({
        step: 'image',
        target: ref,
        status: 'running',
        item: 'b',
        message: 'Downloading',
        bytesDone: 40,
        bytesTotal: 400,
        at: 3,
      }),
    );
    applyProvisionEvent(
      m,
      ev({
        step: 'image',
        target: ref,
        status: 'running',
        item: 'a',
        message: 'Downloading',
        bytesDone: 90,
        bytesTotal: 400,
        at: 4,
      }),
    );
    const image = m.images[0]!;
    expect(image.bytesDone).toBe(90);
    expect(image.bytesTotal).toBe(400);
    expect(image.layers).toEqual([
      { id: 'a', message: 'Downloading', bytesDone: 60, bytesTotal: 100 },
      { id: 'b', message: 'Downloading', bytesDone: 30, bytesTotal: 300 },
    ]);
    applyProvisionEvent(
      m,
      ev({
        step: 'image',
        target: ref,
        status: 'running',
        item: 'a',
        message: 'Pull complete',
        bytesDone: 130,
        bytesTotal: 400,
        at: 5,
      }),
    );
    expect(image.layers[0]).toMatchObject({ bytesDone: 100, message: 'Pull complete' });
    expect(m.phases.images).toMatchObject({ status: 'running', startedAt: 1, finishedAt: null });
    applyProvisionEvent(
      m,
      ev({ step: 'image', target: ref, status: 'done', message: 'pulled', at: 9 }),
    );
    expect(m.phases.images).toMatchObject({ status: 'done', finishedAt: 9 });
  });

  it('images already present make the phase "skipped"', () => {
    const m = createProvisionModel(1);
    applyProvisionEvent(
      m,
      ev({ step: 'image', target: 'r', status: 'skipped', message: 'present' }),
    );
    applyProvisionEvent(
      m,
      ev({ step: 'image', target: 'w', status: 'skipped', message: 'present' }),
    );
    expect(m.phases.images.status).toBe('skipped');
  });

  it('Redis is done only once healthy, workers only once all registered', () => {
    const m = createProvisionModel(2);
    const redis = 'c-redis-1';
    applyProvisionEvent(
      m,
      ev({
        step: 'redis',
        target: redis,
        status: 'running',
        message: 'waiting until it answers',
        at: 1,
      }),
    );
    applyProvisionEvent(
      m,
      ev({ step: 'redis', target: redis, status: 'running', message: 'creating', at: 2 }),
    );
    applyProvisionEvent(
      m,
      ev({ step: 'redis', target: redis, status: 'done', message: 'started', at: 3 }),
    );
    expect(m.phases.redis.status).toBe('running');
    applyProvisionEvent(
      m,
      ev({ step: 'redis', target: redis, status: 'done', message: 'healthy', at: 6 }),
    );
    expect(m.phases.redis).toMatchObject({ status: 'done', startedAt: 1, finishedAt: 6 });

    applyProvisionEvent(
      m,
      ev({ step: 'worker', target: 'c-worker-1', status: 'done', message: 'started', at: 4 }),
    );
    applyProvisionEvent(
      m,
      ev({ step: 'worker', target: 'c-worker-1', status: 'done', message: 'registered', at: 7 }),
    );
    expect(m.phases.workers.status).toBe('running');
    expect(registeredWorkers(m)).toBe(1);
    applyProvisionEvent(
      m,
      ev({ step: 'worker', target: 'c-worker-2', status: 'done', message: 'registered', at: 8 }),
    );
    expect(m.phases.workers).toMatchObject({ status: 'done', finishedAt: 8 });
    expect(registeredWorkers(m)).toBe(2);
  });

  it('ignores steps that are not phases (engine, remove)', () => {
    const m = createProvisionModel(1);
    applyProvisionEvent(m, ev({ step: 'engine', target: 'engine', status: 'running' }));
    applyProvisionEvent(m, ev({ step: 'remove', target: 'x', status: 'done' }));
    expect(Object.values(m.phases).every((p) => p.status === 'pending')).toBe(true);
  });

  it('when the operation ends: success finishes the rest, failure fails what was running', () => {
    const ok = createProvisionModel(1);
    applyProvisionEvent(ok, ev({ step: 'network', target: 'n', status: 'running', at: 1 }));
    finishProvision(ok, true, 5);
    expect(ok.phases.network).toMatchObject({ status: 'done', finishedAt: 5 });
    expect(ok.phases.volume.status).toBe('skipped');
    expect(ok.outcome).toBe('done');

    const bad = createProvisionModel(1);
    applyProvisionEvent(bad, ev({ step: 'redis', target: 'r', status: 'running', at: 1 }));
    finishProvision(bad, false, 9);
    expect(bad.phases.redis).toMatchObject({ status: 'failed', finishedAt: 9 });
    expect(bad.phases.workers.status).toBe('pending');
    expect(bad.outcome).toBe('failed');
  });
});

function status(partial: Partial<ApiClusterStatus> = {}): ApiClusterStatus {
  return {
    cluster: 'c',
    state: 'absent',
    network: false,
    volume: false,
    redis: null,
    workers: [],
    desiredWorkers: 1,
    pools: [],
    ...partial,
  };
}

const container = (name: string, number = 1) => ({
  id: name,
  name,
  pool: name.endsWith('redis-1') ? 'redis' : 'worker',
  number,
  state: 'running',
  health: 'healthy' as const,
  failingStreak: 0,
  restartCount: 0,
  reloads: 0,
  startedAt: null,
  exitCode: null,
  oomKilled: false,
  image: 'i',
});

describe('cleanup after cancel', () => {
  it('lists what this run created and removes the volume only when it is new', () => {
    const now = status({
      state: 'running',
      network: true,
      volume: true,
      redis: { ...container('c-redis-1'), port: 1 },
      workers: [container('c-worker-1')],
    });
    const fresh = cleanupPlan(status(), now);
    expect(fresh.created).toEqual({
      containers: ['c-redis-1', 'c-worker-1'],
      network: true,
      volume: true,
    });
    expect(fresh).toMatchObject({ canRemove: true, removeVolume: true, existedBefore: false });

    // The data volume was kept from an earlier run: removing must not delete it.
    const keptVolume = cleanupPlan(status({ volume: true }), now);
    expect(keptVolume.created.volume).toBe(false);
    expect(keptVolume).toMatchObject({ canRemove: true, removeVolume: false });
  });

  it('never offers to remove a cluster that existed before the wizard', () => {
    const before = status({
      state: 'running',
      network: true,
      volume: true,
      redis: { ...container('c-redis-1'), port: 1 },
    });
    const plan = cleanupPlan(before, before);
    expect(plan.existedBefore).toBe(true);
    expect(plan.canRemove).toBe(false);
    expect(nothingLeft(plan)).toBe(true);
  });

  it('offers removal while creation still runs; without a picture of "before", never', () => {
    expect(cleanupPlan(status(), status(), true).canRemove).toBe(true);
    expect(cleanupPlan(status(), status(), false).canRemove).toBe(false);
    expect(cleanupPlan(null, status({ network: true }), true)).toMatchObject({
      canRemove: false,
      removeVolume: false,
    });
  });
});

describe('configuration form', () => {
  // The wizard runs before setup has completed.
  const settings = settingsFixture({ app: { setupCompleted: false } });

  it('checks the same rules as the settings schema', () => {
    const config = configFromSettings(settings);
    expect(validateConfig(config)).toEqual({});
    expect(
      validateConfig({
        ...config,
        name: 'Bad Name',
        port: 70000,
        workers: 0,
        concurrency: 1.5,
        processorsDir: 'relative/dir',
      }),
    ).toEqual({
      name: 'name',
      port: 'port',
      workers: 'workers',
      concurrency: 'concurrency',
      processorsDir: 'processorsDir',
    });
    expect(validateConfig({ ...config, processorsDir: 'C:\\jobs' })).toEqual({});
  });

  it('saves as a settings patch; an empty folder means none', () => {
    const config = {
      ...configFromSettings(settings),
      name: 'mine',
      port: 6400,
      processorsDir: '  ',
    };
    expect(configPatch(config)).toEqual({
      cluster: {
        name: 'mine',
        redis: { port: 6400, persistence: 'everysec' },
        workers: { replicas: 2, concurrency: 10, memoryMb: 1024, cpus: 1, processorsDir: null },
      },
      app: { startClusterOnLaunch: false },
    });
  });

  it("maps the server's invalid field paths to form fields", () => {
    expect(
      fieldsFromServer(['cluster.redis.port', 'cluster.workers.replicas', 'app.theme']),
    ).toEqual({
      port: 'port',
      workers: 'workers',
    });
  });
});
