/**
 * `guildhall export kubernetes` through the CLI, on a core with its own settings folder: the
 * stored spec and secrets become one private file per object that validates against the
 * Kubernetes and KEDA schemas, or one printed stream; a folder holding other files is refused
 * and left as it was.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/index';
import { createCore } from '../../main/core';
import type { KubeObject } from '../../main/export/kubernetes-objects';
import { redisPasswordKey } from '../../main/settings/secret-store';
import { setUserSecret } from '../../main/settings/user-secrets';
import { PASSWORD, SECRETS, demoSpec, expectValid, find } from './kubernetes-export-fixtures';

describe('guildhall export kubernetes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'guildhall-export-k8s-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  function memoryIO() {
    const out = { stdout: '', stderr: '' };
    const stream = (key: 'stdout' | 'stderr') =>
      ({
        write: (text: string) => {
          out[key] += text;
          return true;
        },
        isTTY: false,
      }) as unknown as NodeJS.WriteStream;
    return {
      out,
      io: { stdout: stream('stdout'), stderr: stream('stderr'), onInterrupt: () => {} },
    };
  }

  it('writes one private file per object from the stored spec and secrets', async () => {
    const home = path.join(dir, 'home');
    const core = createCore({ home, version: 'test', workerContextDir: dir, env: {} });
    const shared = path.join(dir, 'shared');
    await fs.mkdir(shared);
    await core.settings.update((s) => ({ ...s, cluster: demoSpec({}, shared) }));
    for (const [name, value] of SECRETS) await setUserSecret(core.secrets, name, value);
    await core.secrets.set(redisPasswordKey('demo_k8s'), PASSWORD);
    const outDir = path.join(dir, 'manifests');

    const { io, out } = memoryIO();
    const code = await runCli(['export', 'kubernetes', '--keda', '--out', outDir], io, core);
    expect(out.stderr).toContain(`Wrote 12 files to ${outDir}`);
    expect(code).toBe(0);
    const names = (await fs.readdir(outDir)).sort();
    expect(names[0]).toBe('00-namespace-demo-k8s.yaml');
    expect(names).toContain('11-scaledobject-tools.yaml');
    const docs: KubeObject[] = [];
    for (const name of names) {
      const file = path.join(outDir, name);
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      docs.push(yaml.load(await fs.readFile(file, 'utf8')) as KubeObject);
    }
    expectValid(docs);
    const auth = find(docs, 'Secret', 'redis-auth');
    expect(Buffer.from(auth.data['redis-password'] ?? '', 'base64').toString()).toBe(PASSWORD);
    // The built images are named and said to need a registry (or a placeholder stands in).
    expect(out.stderr).toMatch(/warning: .*(pushed to a registry|could not be named here)/);
    expect(out.stdout).toBe('');

    // Printing instead: the same documents as one stream, in another namespace.
    const printed = memoryIO();
    expect(await runCli(['export', 'kubernetes', '--namespace', 'jobs'], printed.io, core)).toBe(0);
    const streamed = yaml.loadAll(printed.out.stdout) as KubeObject[];
    expectValid(streamed);
    expect(
      streamed.filter((d) => d.kind !== 'Namespace').every((d) => d.metadata.namespace === 'jobs'),
    ).toBe(true);

    // With --registry the built images are named where `image push` put them.
    const pushed = memoryIO();
    expect(
      await runCli(
        ['export', 'kubernetes', '--registry', 'reg.example:5000/team'],
        pushed.io,
        core,
      ),
    ).toBe(0);
    const worker = (yaml.loadAll(pushed.out.stdout) as KubeObject[]).find(
      (d) => d.kind === 'Deployment' && d.metadata.name === 'worker',
    ) as unknown as { spec: { template: { spec: { containers: { image: string }[] } } } };
    const image = worker.spec.template.spec.containers[0]!.image;
    expect(image.startsWith('reg.example:5000/team/') || image.includes(':unbuilt')).toBe(true);

    // A folder holding other files is refused, and left as it was.
    await fs.writeFile(path.join(outDir, 'notes.txt'), 'mine');
    const refused = memoryIO();
    expect(await runCli(['export', 'kubernetes', '--out', outDir], refused.io, core)).toBe(2);
    expect(refused.out.stderr).toMatch(/not from a Guildhall export \(notes\.txt\)/);
    expect((await fs.readdir(outDir)).length).toBe(13);
  });

  it('mounts an external TLS + ACL Redis URL and CA from the redis-auth Secret, validated', async () => {
    const home = path.join(dir, 'home');
    const core = createCore({ home, version: 'test', workerContextDir: dir, env: {} });
    const shared = path.join(dir, 'shared');
    await fs.mkdir(shared);
    const caFile = path.join(dir, 'ca.pem');
    const ca = '-----BEGIN CERTIFICATE-----\nMIIBdemo\n-----END CERTIFICATE-----\n';
    await fs.writeFile(caFile, ca);
    await core.settings.update((s) => ({
      ...s,
      cluster: demoSpec(
        {
          redis: {
            external: {
              url: 'rediss://app@redis.example.net:6380/1',
              passwordSecret: 'EXT_REDIS_PASSWORD',
              caFile,
            },
          },
        },
        shared,
      ),
    }));
    for (const [name, value] of SECRETS) await setUserSecret(core.secrets, name, value);
    await setUserSecret(core.secrets, 'EXT_REDIS_PASSWORD', 'ext-pw-9f3');
    const outDir = path.join(dir, 'manifests');

    const { io, out } = memoryIO();
    expect(await runCli(['export', 'kubernetes', '--keda', '--out', outDir], io, core)).toBe(0);
    const docs: KubeObject[] = [];
    for (const name of (await fs.readdir(outDir)).sort())
      docs.push(yaml.load(await fs.readFile(path.join(outDir, name), 'utf8')) as KubeObject);
    expectValid(docs);
    const auth = find(docs, 'Secret', 'redis-auth');
    const decode = (key: string) => Buffer.from(auth.data[key] ?? '', 'base64').toString();
    expect(decode('redis-ca.pem')).toBe(ca);
    expect(decode('redis-url')).toBe('rediss://app:ext-pw-9f3@redis.example.net:6380/1');
    const worker = find(docs, 'Deployment', 'worker').spec.template.spec;
    expect(worker.volumes.find((v) => v.name === 'run')).toMatchObject({
      secret: { secretName: 'redis-auth', items: [{ key: 'redis-url' }, { key: 'redis-ca.pem' }] },
    });
    // No warning that built-in pools would connect without the ACL user or TLS.
    expect(out.stderr).not.toMatch(/by host, port and password/);
    for (const doc of docs.filter((d) => d.kind !== 'Secret'))
      expect(JSON.stringify(doc)).not.toContain('ext-pw-9f3');
  });
});
