import { afterEach, describe, expect, it } from 'vitest';
import {
  applyProgress,
  operations,
  type ProgressData,
  type StepView,
} from '../../renderer/src/lib/operations/operations.svelte';

const progress = (fields: Partial<ProgressData>): ProgressData => ({
  step: 'worker',
  target: 'gh-worker-1',
  status: 'running',
  at: Date.now(),
  operation: 'cluster.up',
  operationId: 'op-1',
  ...fields,
});

afterEach(() => {
  for (const op of [...operations.list]) operations.dismiss(op.id);
});

describe('operation steps', () => {
  it('keep one row per step and target, updated in place, with the bytes so far', () => {
    const steps: StepView[] = [];
    applyProgress(
      steps,
      progress({ step: 'image', target: 'redis:7', bytesDone: 10, bytesTotal: 100 }),
    );
    applyProgress(steps, progress({ step: 'redis', target: 'gh-redis-1' }));
    applyProgress(steps, progress({ step: 'image', target: 'redis:7', bytesDone: 60 }));
    applyProgress(steps, progress({ step: 'image', target: 'redis:7', status: 'done' }));
    expect(steps.map((s) => [s.key, s.status, s.bytesDone, s.bytesTotal])).toEqual([
      ['image:redis:7', 'done', 60, 100],
      ['redis:gh-redis-1', 'running', null, null],
    ]);
  });
});

describe('operations', () => {
  it('track a call: its progress events by operation id, then how it ended', async () => {
    let release!: (value: string) => void;
    const result = operations.run('cluster.up', (id) => {
      operations.ingest(progress({ operationId: id, step: 'redis', target: 'gh-redis-1' }));
      return new Promise<string>((resolve) => (release = resolve));
    });
    const view = operations.running('cluster.up')!;
    expect(view.steps.map((s) => s.target)).toEqual(['gh-redis-1']);
    release('ok');
    expect(await result).toBe('ok');
    expect(view.state).toBe('done');
    expect(view.steps[0]!.status).toBe('done');
  });

  it('report a failed call with its error and resolve to null', async () => {
    const result = await operations.run('cluster.down', () => Promise.reject(new Error('boom')));
    expect(result).toBeNull();
    const view = operations.latest('cluster.down')!;
    expect(view.state).toBe('failed');
    expect(view.error?.message).toBeTruthy();
  });

  it('follow an operation started elsewhere from its activity lines', () => {
    const at = Date.now();
    operations.ingestActivity(
      {
        level: 'info',
        message: 'cluster.scale started',
        operation: 'cluster.scale',
        operationId: 'tray-1',
      },
      at,
    );
    operations.ingest(
      progress({ operation: 'cluster.scale', operationId: 'tray-1', status: 'done' }),
    );
    // Every step reported so far has ended, but the operation has not: it keeps running.
    expect(operations.running('cluster.scale')?.id).toBe('tray-1');
    operations.ingestActivity(
      {
        level: 'error',
        message: 'cluster.scale failed: Port 6379 is in use.',
        operation: 'cluster.scale',
        operationId: 'tray-1',
      },
      at + 10,
    );
    const view = operations.latest('cluster.scale')!;
    expect(view.state).toBe('failed');
    expect(view.error?.message).toBe('Port 6379 is in use.');
  });

  it('ignore late lines of operations that ended long ago', () => {
    operations.ingestActivity(
      { level: 'info', message: 'cluster.up started', operation: 'cluster.up', operationId: 'old' },
      Date.now() - 10 * 60_000,
    );
    operations.ingest(progress({ operationId: 'old-2', at: Date.now() - 10 * 60_000 }));
    expect(operations.list).toEqual([]);
  });
});

describe('operations without an id of ours', () => {
  it('are not shown twice when the server names them', async () => {
    let release!: () => void;
    const done = operations.run(
      'cluster.restartWorker',
      () => new Promise<void>((r) => (release = r)),
    );
    operations.ingestActivity(
      {
        level: 'info',
        message: 'cluster.restartWorker started',
        operation: 'cluster.restartWorker',
        operationId: 'server-made',
      },
      Date.now(),
    );
    release();
    await done;
    expect(operations.list.map((op) => op.operation)).toEqual(['cluster.restartWorker']);
  });
});
