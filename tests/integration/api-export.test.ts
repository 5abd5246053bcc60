/**
 * export.preview over the API (the MessagePort the app window uses), against the real engine
 * (it plans the pools' images): the compose export's files come back with every secret file
 * listed by path and empty, no secret value anywhere in the answer; the Kubernetes export's
 * Secrets likewise.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServices } from '../../main/api/context';
import { setUserSecret } from '../../main/settings/user-secrets';
import type { TransportClient } from './helpers/api-clients';
import { openOfflineApi, type OfflineApi } from './helpers/offline-api';

let api: OfflineApi;
let services: ApiServices;
let ipc: TransportClient;
const value = `exp-${randomBytes(12).toString('hex')}`;

beforeAll(async () => {
  api = await openOfflineApi('export', async (core) => {
    await setUserSecret(core.secrets, 'EXPORT_TOKEN', value);
    await core.settings.update((s) => ({
      ...s,
      cluster: {
        ...s.cluster,
        name: `ghtest-${randomBytes(3).toString('hex')}`,
        workers: { ...s.cluster.workers, secrets: ['EXPORT_TOKEN'] },
      },
    }));
  });
  ({ services, ipc } = api);
});

afterAll(async () => {
  await api?.close();
});

describe('export over the API', () => {
  it('previews the compose files with secret files by path only', async () => {
    const preview = await ipc.client.export.preview({ kind: 'compose', registry: 'reg:5000' });
    expect(preview.files.map((f) => f.path)).toEqual([
      'compose.yaml',
      'compose.swarm.yaml',
      'secrets/EXPORT_TOKEN',
      'secrets/redis-password',
    ]);
    for (const file of preview.files.filter((f) => f.secret)) expect(file.content).toBe('');
    const password = await services.core.cluster.password(
      (await services.core.cluster.spec()).spec.name,
    );
    const text = JSON.stringify(preview);
    expect(text).not.toContain(value);
    expect(text).not.toContain(password);
    expect(preview.files[0]!.content).toContain('image: reg:5000/guildhall/worker:');
    expect(preview.command).toBe('guildhall export compose --out compose.yaml --registry reg:5000');
  });

  it('previews the Kubernetes manifests with the Secrets by name only', async () => {
    const preview = await ipc.client.export.preview({
      kind: 'kubernetes',
      namespace: 'team-a',
      keda: true,
    });
    const paths = preview.files.map((f) => f.path);
    expect(paths[0]).toMatch(/^\d{2}-namespace-team-a\.yaml$/);
    expect(paths.some((p) => /-deployment-worker\.yaml$/.test(p))).toBe(true);
    const secrets = preview.files.filter((f) => f.secret);
    expect(secrets.map((f) => f.path).every((p) => /^\d{2}-secret-/.test(p))).toBe(true);
    expect(secrets.length).toBeGreaterThan(0);
    for (const file of secrets) expect(file.content).toBe('');
    const password = await services.core.cluster.password(
      (await services.core.cluster.spec()).spec.name,
    );
    const text = JSON.stringify(preview);
    expect(text).not.toContain(value);
    expect(text).not.toContain(Buffer.from(value).toString('base64'));
    expect(text).not.toContain(password);
    expect(preview.command).toBe('guildhall export kubernetes --namespace team-a --keda --out k8s');
  });
});
