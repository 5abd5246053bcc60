/**
 * secrets.* over the API (the MessagePort the app window uses): a value goes in and never comes
 * back — not in list or set's answer, not in the audit log, which records the name only — and a
 * bad value is refused with the typed error. No engine needed.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServices } from '../../main/api/context';
import { apiErrorOf, type TransportClient } from './helpers/api-clients';
import { openOfflineApi, type OfflineApi } from './helpers/offline-api';

let api: OfflineApi;
let home: string;
let services: ApiServices;
let ipc: TransportClient;

beforeAll(async () => {
  api = await openOfflineApi('secrets');
  ({ home, services, ipc } = api);
});

afterAll(async () => {
  await api?.close();
});

describe('secrets over the API', () => {
  it('stores a value, answers with names only, audits the name only', async () => {
    const value = `api-${randomBytes(12).toString('hex')}`;
    const set = await ipc.client.secrets.set({ name: 'API_TOKEN', value });
    expect(set).toEqual({ secrets: [{ name: 'API_TOKEN', stored: true, pools: [] }] });
    expect(await ipc.client.secrets.list()).toEqual(set);
    expect(await services.core.secrets.get('user:API_TOKEN')).toBe(value);

    const error = await apiErrorOf(ipc.client.secrets.set({ name: 'API_TOKEN', value: '  ' }));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(/empty/);

    const removed = await ipc.client.secrets.remove({ name: 'API_TOKEN' });
    expect(removed.secrets).toEqual([]);

    const audit = await fs.readFile(path.join(home, 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"secrets.set"');
    expect(audit).toContain('secret:API_TOKEN');
    expect(audit).toContain('"secrets.remove"');
    expect(audit).not.toContain(value);
  });
});
