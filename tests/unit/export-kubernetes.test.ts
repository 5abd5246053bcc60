/**
 * `guildhall export kubernetes`: the manifests a user applies to a Kubernetes cluster with KEDA.
 * Every exported document is read back from the YAML the user gets and validated offline against
 * the Kubernetes OpenAPI schemas and KEDA's CRD schemas (kubernetes-schemas.ts, pinned packages);
 * then what users rely on: no secret value outside a Secret, the pods' security, probes and
 * limits as the local cluster's, KEDA scaling on the very lists BullMQ and Celery fill, between
 * the pool's min and max; and an external Redis instead of the StatefulSet.
 */
import { QueueKeys } from 'bullmq';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { kubernetesExport } from '../../main/export/kubernetes-export';
import type { KubeObject } from '../../main/export/kubernetes-objects';
import {
  PASSWORD,
  SECRETS,
  demoSpec,
  documentsOf,
  expectValid,
  find,
  input,
  mutate,
  secretForms,
  type Loose,
} from './kubernetes-export-fixtures';
import { schemaProblems } from './kubernetes-schemas';

describe('kubernetes export', () => {
  it('gives documents that validate against the Kubernetes and KEDA schemas', () => {
    const result = kubernetesExport(input());
    const docs = documentsOf(result);
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'Namespace/demo-k8s',
      'Secret/redis-auth',
      'Secret/pool-worker-secrets',
      'Secret/pool-celery-secrets',
      'StatefulSet/redis',
      'Service/redis',
      'Deployment/worker',
      'Deployment/celery',
      'Deployment/tools',
      'TriggerAuthentication/redis-auth',
      'ScaledObject/celery',
      'ScaledObject/tools',
    ]);
    expectValid(docs);
    // One file per object, each one document that validates on its own, in apply order.
    expect(result.files.map((f) => f.path)).toEqual(
      docs.map(
        (d, i) => `${String(i).padStart(2, '0')}-${d.kind.toLowerCase()}-${d.metadata.name}.yaml`,
      ),
    );
    for (const file of result.files) expectValid([yaml.load(file.content) as KubeObject]);
    for (const doc of docs.filter((d) => d.kind !== 'Namespace'))
      expect(doc.metadata.namespace).toBe('demo-k8s');
  });

  it('puts secret values in Secrets only, and mounts them as files like the local cluster', () => {
    const docs = documentsOf(kubernetesExport(input()));
    const forms = secretForms([PASSWORD, ...SECRETS.values()]);
    for (const doc of docs.filter((d) => d.kind !== 'Secret')) {
      const text = JSON.stringify(doc);
      for (const form of forms)
        expect(text, `${doc.kind} ${doc.metadata.name}`).not.toContain(form);
    }
    const decode = (secret: Loose, key: string) =>
      Buffer.from(secret.data[key] ?? '', 'base64').toString();
    const auth = find(docs, 'Secret', 'redis-auth');
    expect(decode(auth, 'redis-password')).toBe(PASSWORD);
    expect(decode(auth, 'redis.conf')).toMatch(/requirepass redis-pass-5f1c9a77e2\n/);
    expect(decode(auth, 'redis.conf')).toMatch(/appendonly yes\nappendfsync everysec\n/);
    expect(decode(auth, 'redis.conf')).not.toContain('unixsocket');
    expect(decode(find(docs, 'Secret', 'pool-worker-secrets'), 'API_KEY')).toBe(
      SECRETS.get('API_KEY'),
    );
    expect(decode(find(docs, 'Secret', 'pool-celery-secrets'), 'DB_PASSWORD')).toBe(
      SECRETS.get('DB_PASSWORD'),
    );
    for (const [pool, secret] of [
      ['worker', 'pool-worker-secrets'],
      ['celery', 'pool-celery-secrets'],
    ] as const) {
      const pod = find(docs, 'Deployment', pool).spec.template.spec;
      const mount = pod.containers[0].volumeMounts.find(
        (m: Loose) => m.mountPath === '/run/secrets',
      );
      expect(mount.readOnly).toBe(true);
      expect(pod.volumes.find((v: Loose) => v.name === mount.name).secret.secretName).toBe(secret);
    }
    // The URL a custom image asks for in env comes from the Secret, never inline.
    const celeryEnv = find(docs, 'Deployment', 'celery').spec.template.spec.containers[0].env;
    expect(celeryEnv.find((e: Loose) => e.name === 'CELERY_BROKER_URL')).toEqual({
      name: 'CELERY_BROKER_URL',
      valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'redis-url' } },
    });
  });

  it('runs every pod non-root, without capabilities or privilege gain; built-in pools read-only', () => {
    const docs = documentsOf(kubernetesExport(input()));
    for (const doc of docs.filter((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet')) {
      const pod = find(docs, doc.kind, doc.metadata.name).spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of pod.containers.map((c) => c)) {
        expect(container.securityContext).toMatchObject({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.securityContext.capabilities.add).toBeUndefined();
      }
    }
    const worker = find(docs, 'Deployment', 'worker').spec.template.spec;
    expect(worker.containers[0].securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      runAsUser: 1000,
      runAsGroup: 1000,
    });
    const tmp = worker.containers[0].volumeMounts.find((m: Loose) => m.mountPath === '/tmp');
    expect(worker.volumes.find((v: Loose) => v.name === tmp.name).emptyDir).toEqual({
      medium: 'Memory',
      sizeLimit: '256Mi',
    });
    // A custom image writes where it pleases, as locally.
    const celery = find(docs, 'Deployment', 'celery').spec.template.spec;
    expect(celery.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
  });

  it('keeps replicas, limits, probes and the host folder placeholder', () => {
    const result = kubernetesExport(input());
    const docs = documentsOf(result);
    const worker = find(docs, 'Deployment', 'worker');
    expect(worker.spec.replicas).toBe(2);
    const container = worker.spec.template.spec.containers[0];
    expect(container.resources.limits).toEqual({ cpu: '500m', memory: '256Mi' });
    expect(container.livenessProbe.exec.command).toEqual([
      'node',
      '/opt/guildhall/worker.cjs',
      '--healthcheck',
    ]);
    const env = Object.fromEntries(
      container.env.map((e: Loose) => [e.name, e.value ?? e.valueFrom]),
    );
    expect(env.GUILDHALL_REDIS_HOST).toBe('redis');
    expect(env.GUILDHALL_REDIS_PASSWORD_FILE).toBe('/run/guildhall/redis-password');
    expect(env.GUILDHALL_REDIS_SOCKET).toBeUndefined();
    const celery = find(docs, 'Deployment', 'celery').spec.template.spec.containers[0];
    expect(celery.args).toEqual(['celery', '-A', 'app', 'worker']);
    expect(celery.livenessProbe.exec.command).toEqual([
      '/bin/sh',
      '-c',
      'celery -A app inspect ping',
    ]);
    const shared = container.volumeMounts.find((m: Loose) => m.mountPath === '/shared');
    expect(worker.spec.template.spec.volumes.find((v: Loose) => v.name === shared.name)).toEqual({
      name: shared.name,
      emptyDir: {},
    });
    expect(result.warnings.join('\n')).toMatch(/host folder \/srv\/shared .* cannot travel/);
    expect(result.files.find((f) => f.path.endsWith('deployment-worker.yaml'))!.content).toMatch(
      /^# WARNING: pool "worker": the host folder \/srv\/shared/m,
    );
    const redis = find(docs, 'StatefulSet', 'redis');
    expect(redis.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('2048Mi');
    expect(redis.spec.template.spec.containers[0].args).toEqual([
      'redis-server',
      '/run/guildhall/redis.conf',
    ]);
  });

  it('scales autoscaled pools with KEDA on the lists their jobs wait in, min to max', () => {
    const docs = documentsOf(kubernetesExport(input()));
    const tools = find(docs, 'ScaledObject', 'tools').spec;
    const bullWait = (queue: string) => new QueueKeys().getKeys(queue).wait;
    expect(tools.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'tools' });
    expect(tools.triggers.map((t: Loose) => t.metadata.listName)).toEqual([
      bullWait('shell'),
      bullWait('reports'),
    ]);
    expect(tools).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 8, cooldownPeriod: 60 });
    expect(tools.triggers[0].metadata).toMatchObject({
      address: 'redis.demo-k8s.svc:6379',
      listLength: '50',
    });
    // All the pool's lists together against one target, as the local autoscaler counts them.
    expect(tools.advanced.scalingModifiers).toEqual({
      formula: 'list0 + list1',
      target: '50',
      metricType: 'AverageValue',
    });
    const celery = find(docs, 'ScaledObject', 'celery').spec;
    expect(celery.triggers.map((t: Loose) => t.metadata.listName)).toEqual(['celery', 'mail']);
    expect(celery).toMatchObject({ minReplicaCount: 0, maxReplicaCount: 6, cooldownPeriod: 120 });
    expect(
      celery.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds,
    ).toBe(120);
    // The password KEDA reads is the Secret's key that holds it.
    const auth = find(docs, 'TriggerAuthentication', 'redis-auth').spec.secretTargetRef;
    expect(auth).toEqual([{ parameter: 'password', name: 'redis-auth', key: 'redis-password' }]);
    expect(find(docs, 'Secret', 'redis-auth').data['redis-password']).toBeDefined();
    for (const so of [tools, celery])
      expect(new Set(so.triggers.map((t) => t.authenticationRef.name))).toEqual(
        new Set(['redis-auth']),
      );
    expect(find(docs, 'Deployment', 'worker')).toBeDefined();
    expect(docs.some((d) => d.kind === 'ScaledObject' && d.metadata.name === 'worker')).toBe(false);
  });

  it('without --keda keeps the replicas and says so', () => {
    const result = kubernetesExport(input({ keda: false }));
    const docs = documentsOf(result);
    expect(docs.some((d) => d.kind.startsWith('Scaled') || d.kind.startsWith('Trigger'))).toBe(
      false,
    );
    expect(find(docs, 'Deployment', 'tools').spec.replicas).toBe(1);
    expect(result.warnings.join('\n')).toMatch(/"tools" autoscales locally; without --keda/);
    expectValid(docs);
  });

  it('points every pool at an external Redis and makes no Redis of its own', () => {
    const spec = demoSpec({
      redis: {
        external: {
          url: 'rediss://guildhall@redis.example.net:6380/2',
          passwordSecret: 'EXT_REDIS_PASSWORD',
        },
      },
    });
    const external = 'external-redis-pass-777';
    const result = kubernetesExport(
      input({ spec, redisPassword: external, externalCa: '-----BEGIN CERTIFICATE-----\n' }),
    );
    const docs = documentsOf(result);
    expectValid(docs);
    expect(docs.some((d) => d.kind === 'StatefulSet' || d.kind === 'Service')).toBe(false);
    const auth = find(docs, 'Secret', 'redis-auth');
    const decode = (key: string) => Buffer.from(auth.data[key] ?? '', 'base64').toString();
    expect(decode('redis-password')).toBe(external);
    expect(decode('redis-url')).toBe(`rediss://guildhall:${external}@redis.example.net:6380/2`);
    expect(decode('redis-ca.pem')).toBe('-----BEGIN CERTIFICATE-----\n');
    expect(auth.data['redis.conf']).toBeUndefined();
    for (const pool of ['worker', 'tools', 'celery']) {
      const pod = find(docs, 'Deployment', pool).spec.template.spec;
      const env = pod.containers[0].env;
      const value = (name: string) => env.find((e) => e.name === name)?.value;
      // Every pool reads the URL (ACL user, password) and the CA from the mounted Secret's files.
      expect(value('GUILDHALL_REDIS_URL_FILE')).toBe('/run/guildhall/redis-url');
      expect(value('GUILDHALL_REDIS_CA_FILE')).toBe('/run/guildhall/redis-ca.pem');
      expect(value('GUILDHALL_REDIS_PASSWORD_FILE')).toBeUndefined();
      expect(pod.volumes.find((v) => v.name === 'run')).toMatchObject({
        secret: {
          secretName: 'redis-auth',
          items: [
            { key: 'redis-url', path: 'redis-url' },
            { key: 'redis-ca.pem', path: 'redis-ca.pem' },
          ],
        },
      });
      const mount = pod.containers[0].volumeMounts.find((m) => m.name === 'run');
      expect(mount).toMatchObject({ mountPath: '/run/guildhall', readOnly: true });
    }
    // Custom pools also get the host and port, as locally.
    const celery = find(docs, 'Deployment', 'celery').spec.template.spec.containers[0].env;
    expect(celery.find((e) => e.name === 'GUILDHALL_REDIS_HOST')?.value).toBe('redis.example.net');
    expect(celery.find((e) => e.name === 'GUILDHALL_REDIS_PORT')?.value).toBe('6380');
    expect(result.warnings.join('\n')).not.toMatch(/connects to the external Redis by host/);
    const scaled = find(docs, 'ScaledObject', 'tools').spec;
    expect(scaled.triggers[0].metadata).toMatchObject({
      address: 'redis.example.net:6380',
      databaseIndex: '2',
    });
    const refs = find(docs, 'TriggerAuthentication', 'redis-auth').spec.secretTargetRef;
    expect(refs.map((r: Loose) => r.parameter)).toEqual(['password', 'username', 'tls', 'ca']);
    for (const key of refs.map((r) => String(r.key))) expect(auth.data[key], key).toBeDefined();
    for (const doc of docs.filter((d) => d.kind !== 'Secret'))
      for (const form of secretForms([external])) expect(JSON.stringify(doc)).not.toContain(form);
  });

  it('refuses a missing secret or a namespace Kubernetes would refuse', () => {
    expect(() => kubernetesExport(input({ secrets: new Map() }))).toThrow(
      /names the secret API_KEY, which is not in Guildhall's secret store/,
    );
    expect(() => kubernetesExport(input({ namespace: 'Not_Valid' }))).toThrow(
      /not a Kubernetes namespace name/,
    );
  });

  it('has a validator that refuses what Kubernetes and KEDA would refuse', () => {
    const docs = documentsOf(kubernetesExport(input()));
    const broken = structuredClone(docs) as unknown[];
    const doc = (kind: string, name: string) => find(broken, kind, name);
    mutate(doc('Deployment', 'worker'), 'spec.replicas', '2');
    mutate(doc('Deployment', 'tools'), 'spec.selector', undefined);
    mutate(doc('StatefulSet', 'redis'), 'spec.template.spec.securityContext.runAsNonRoot', 'true');
    mutate(doc('ScaledObject', 'tools'), 'spec.minReplicaCount', '1');
    mutate(doc('ScaledObject', 'celery'), 'spec.scaleTargetRef', undefined);
    mutate(doc('TriggerAuthentication', 'redis-auth'), 'spec.secretTargetRef.0.key', 7);
    const problems = broken.flatMap((doc) => schemaProblems(doc));
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/replicas must be integer/);
    expect(problems.join('\n')).toMatch(/must have required property 'selector'|selector/);
    expect(problems.join('\n')).toMatch(/minReplicaCount must be integer/);
    expect(problems.join('\n')).toMatch(/scaleTargetRef/);
  });
});
