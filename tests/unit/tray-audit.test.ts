/**
 * A tray action is recorded in the audit log with the face `tray`: the real ClusterWatch runs
 * "pause all queues" through the operation the desktop shell gives it (no cluster exists, so
 * there is nothing to pause, and the action itself succeeds).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ApiServices } from '../../main/api/context';
import { auditSinkFor } from '../../main/audit/record';
import { createCore } from '../../main/core';
import { ClusterWatch } from '../../main/electron/cluster-watch';
import { trayOperation } from '../../main/electron/tray-operation';

let home: string | null = null;

afterEach(async () => {
  if (home) await fs.rm(home, { recursive: true, force: true });
});

it('records a tray action with the face tray', async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'gh-tray-'));
  const core = createCore({ home, version: 'test', workerContextDir: home });
  const api = new ApiServices({ core });
  const watch = new ClusterWatch({ core, operation: trayOperation(core, api) });
  try {
    expect(await watch.run('pause-all')).toBe(true);
  } finally {
    await watch.stop();
    await api.close();
  }
  const [entry] = await auditSinkFor(core).log.read();
  expect(entry).toMatchObject({
    face: 'tray',
    action: 'queues.pauseAll',
    target: 'cluster:guildhall',
    outcome: 'ok',
  });
});
