/**
 * alerts.config and alerts.save over the API (the MessagePort the app window uses), no engine
 * needed: a saved alerts block is the spec's (what `guildhall spec` prints), a webhook's URL goes
 * to the secret store and never comes back; a save with any wrong field is refused naming each
 * field and changes nothing — no secret stored, the spec as it was; the audit log records the
 * save without the URL.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServices } from '../../main/api/context';
import { userSecretKey } from '../../main/settings/user-secrets';
import { apiErrorOf, type TransportClient } from './helpers/api-clients';
import { openOfflineApi, type OfflineApi } from './helpers/offline-api';

let api: OfflineApi;
let home: string;
let services: ApiServices;
let ipc: TransportClient;
const token = randomBytes(10).toString('hex');
const url = `https://hooks.example.com/services/${token}`;

beforeAll(async () => {
  api = await openOfflineApi('alerts');
  ({ home, services, ipc } = api);
});

afterAll(async () => {
  await api?.close();
});

describe('alerts block over the API', () => {
  it('saves rules and a webhook into the spec; the URL only into the secret store', async () => {
    const before = await ipc.client.alerts.config();
    expect(before.webhooks).toEqual([]);
    const rules = { ...before.rules, diskLow: { muted: true, freeMb: 512 } };
    const saved = await ipc.client.alerts.save({
      rules,
      webhooks: [{ name: 'on-call', format: 'slack', rules: ['diskLow'], url: ` ${url} ` }],
    });
    expect(saved.webhooks).toEqual([
      {
        name: 'on-call',
        urlSecret: 'WEBHOOK_ON_CALL',
        format: 'slack',
        rules: ['diskLow'],
        urlStored: true,
      },
    ]);
    expect(saved.rules.diskLow).toEqual({ muted: true, freeMb: 512 });
    expect(await ipc.client.alerts.config()).toEqual(saved);
    const { spec } = await services.core.cluster.spec();
    expect(spec.alerts.webhooks[0]).toEqual({
      name: 'on-call',
      urlSecret: 'WEBHOOK_ON_CALL',
      format: 'slack',
      rules: ['diskLow'],
    });
    expect(await services.core.secrets.get(userSecretKey('WEBHOOK_ON_CALL'))).toBe(url);

    // Saved again without a URL: the stored one stays.
    await ipc.client.alerts.save({
      rules,
      webhooks: [{ name: 'on-call', format: 'json', rules: [], urlSecret: 'WEBHOOK_ON_CALL' }],
    });
    expect(await services.core.secrets.get(userSecretKey('WEBHOOK_ON_CALL'))).toBe(url);

    const audit = await fs.readFile(path.join(home, 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"alerts.save"');
    expect(audit).toContain('on-call');
    expect(audit).not.toContain(token);
    const settings = await fs.readFile(services.core.settings.paths.settings, 'utf8');
    expect(settings).not.toContain(token);
  });

  it('refuses a save with wrong fields, naming each, and changes nothing', async () => {
    const before = await ipc.client.alerts.config();
    const other = `https://hooks.example.com/x/${randomBytes(8).toString('hex')}`;
    const error = await apiErrorOf(
      ipc.client.alerts.save({
        rules: { ...before.rules, failureRate: { ...before.rules.failureRate, percent: 101 } },
        webhooks: [
          { name: 'fresh', format: 'json', rules: [], url: other },
          { name: 'no-url', format: 'json', rules: [] },
          { name: 'bad url', format: 'json', rules: [], url: 'ftp://files.example.com/x' },
          { name: 'fresh', format: 'json', rules: [], url: other },
        ],
      }),
    );
    expect(error.code).toBe('invalid-input');
    expect(error.fields).toEqual(
      expect.arrayContaining([
        'rules.failureRate.percent',
        'webhooks.1.url',
        'webhooks.2.url',
        'webhooks.2.name',
        'webhooks.3.name',
      ]),
    );
    expect(error.message).not.toContain(other);
    expect(error.message).not.toContain('ftp://');
    expect(await services.core.secrets.get(userSecretKey('WEBHOOK_FRESH'))).toBeNull();
    expect(await ipc.client.alerts.config()).toEqual(before);
  });
});
