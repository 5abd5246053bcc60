/**
 * Fixes and muting that need no engine: the core points at an engine socket that does not
 * exist, so any fix that reached for the engine would fail with an engine error instead.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core';
import { runDiagnostics, setCheckMuted } from '../../main/diagnostics/diagnostics';
import { FACTORY_RESET_CONFIRM, generalFixes, runFix } from '../../main/diagnostics/fixes';
import { failed, type DiagnosticCheck } from '../../main/diagnostics/types';
import { redisPasswordKey } from '../../main/settings/secret-store';
import { GuildhallError } from '../../main/util/errors';

let home: string;
let core: Core;

beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'ghdiag-fixes-'));
  const env = { ...process.env, DOCKER_HOST: `unix://${path.join(home, 'no-engine.sock')}` };
  core = createCore({ home, version: 'test', workerContextDir: home, env });
  const { settings } = await core.settings.load();
  await core.settings.save({
    ...settings,
    cluster: {
      ...settings.cluster,
      name: 'ghdiag-unit',
      redis: { ...settings.cluster.redis, port: 16001 },
    },
    app: { ...settings.app, theme: 'dark' },
  });
  await core.secrets.set(redisPasswordKey('ghdiag-unit'), 'secret-password-for-unit-tests');
});
afterEach(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<GuildhallError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(GuildhallError);
    return err as GuildhallError;
  }
  throw new Error('expected a rejection');
}

describe('destructive fixes need their typed confirmation', () => {
  it('reset-cluster-wipe refuses without the cluster name, before touching the engine', async () => {
    for (const confirm of [undefined, 'yes', 'GHDIAG-UNIT']) {
      const err = await rejection(runFix(core, 'reset-cluster-wipe', { confirm }));
      expect(err.code).toBe('invalid-input');
      expect(err.hint).toContain('"ghdiag-unit"');
    }
  });

  it('factory-reset refuses without the confirmation text and leaves settings alone', async () => {
    const err = await rejection(runFix(core, 'factory-reset', { confirm: 'reset' }));
    expect(err.code).toBe('invalid-input');
    expect((await core.settings.load()).settings.cluster.name).toBe('ghdiag-unit');
  });

  it('the general fixes name the confirmation each destructive one needs', () => {
    const fixes = generalFixes('ghdiag-unit');
    expect(fixes.filter((f) => f.destructive).map((f) => [f.id, f.confirm])).toEqual([
      ['reset-cluster-wipe', 'ghdiag-unit'],
      ['factory-reset', FACTORY_RESET_CONFIRM],
    ]);
  });
});

describe('factory reset', () => {
  it('moves settings aside as a backup, loads defaults and keeps the secrets', async () => {
    const secretsBefore = await fs.readFile(core.settings.paths.secrets, 'utf8');
    const outcome = await runFix(core, 'factory-reset', { confirm: FACTORY_RESET_CONFIRM });
    const { settings } = await core.settings.load();
    expect(settings.cluster.name).toBe('guildhall');
    expect(settings.app.theme).toBe('system');
    const backups = (await fs.readdir(home)).filter((f) =>
      f.startsWith('settings.json.factory-reset-'),
    );
    expect(backups).toHaveLength(1);
    const backup = JSON.parse(await fs.readFile(path.join(home, backups[0]!), 'utf8'));
    expect(backup.cluster.name).toBe('ghdiag-unit');
    expect(outcome.message).toContain(backups[0]!);
    expect(outcome.message).toContain('The containers of cluster ghdiag-unit were not touched');
    expect(await fs.readFile(core.settings.paths.secrets, 'utf8')).toBe(secretsBefore);
    expect(outcome.message).not.toContain('secret-password-for-unit-tests');
  });
});

describe('fix ids', () => {
  it('rejects unknown fixes and worker fixes without a worker number', async () => {
    expect((await rejection(runFix(core, 'make-it-work'))).code).toBe('invalid-input');
    expect((await rejection(runFix(core, 'restart-worker'))).code).toBe('invalid-input');
    expect((await rejection(runFix(core, 'recreate-worker:zero'))).code).toBe('invalid-input');
    expect((await rejection(runFix(core, 'pull-image:postgres'))).code).toBe('invalid-input');
    expect((await rejection(runFix(core, 'load-image'))).code).toBe('invalid-input');
  });

  it('choose-free-port only changes settings when the engine cannot be reached', async () => {
    const outcome = await runFix(core, 'choose-free-port');
    const port = (await core.settings.load()).settings.cluster.redis.port;
    expect(port).toBeGreaterThan(16001);
    expect(outcome.message).toBe(`Redis will use port ${port}; the cluster was not started.`);
  });
});

describe('muting', () => {
  const noisy: DiagnosticCheck = {
    id: 'host.disk',
    category: 'host',
    title: 'Free disk space',
    documentation: 'test double with a real id',
    applicable: () => true,
    check: async () => failed('always fails'),
  };

  it('stores muted ids in settings; muted failures do not fail the run', async () => {
    expect(await setCheckMuted(core, 'host.disk', true)).toEqual(['host.disk']);
    const muted = await runDiagnostics(core, { checks: [noisy] });
    expect(muted.results[0]).toMatchObject({ id: 'host.disk', status: 'failed', muted: true });
    expect(muted.failed).toBe(false);

    expect(await setCheckMuted(core, 'host.disk', false)).toEqual([]);
    const unmuted = await runDiagnostics(core, { checks: [noisy] });
    expect(unmuted.results[0]!.muted).toBe(false);
    expect(unmuted.failed).toBe(true);
  });

  it('refuses to mute a check that does not exist', async () => {
    expect((await rejection(setCheckMuted(core, 'no.such-check', true))).code).toBe('not-found');
  });
});
