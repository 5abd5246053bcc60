/**
 * A pod template from the engine's create options of a local container. The export never decides
 * again what a container runs: it takes the options the local cluster creates its containers with
 * (cluster/pool-configs.ts, container-configs.ts, container-security.ts) and says the same things
 * in Kubernetes' words, so the two cannot drift:
 *   - image, Cmd (as `args`: it replaces the image's CMD, keeps its ENTRYPOINT), env, ports;
 *   - the engine's healthcheck as liveness and readiness exec probes, same timings;
 *   - NanoCpus and Memory as limits (and equal requests, so the scheduler reserves them);
 *   - CapDrop/CapAdd, no-new-privileges, ReadonlyRootfs and User as the securityContext, always
 *     non-root with the runtime's seccomp profile; Tmpfs as memory-backed emptyDirs;
 *   - StopTimeout as the termination grace period;
 *   - mounts: the run volume (Redis's password, URL and CA files) and the pool's secrets volume become
 *     Secret volumes at the same paths; host folders cannot travel: each becomes an emptyDir
 *     placeholder, with a warning naming it.
 * The pids limit has no per-pod field in Kubernetes (it is the kubelet's podPidsLimit).
 */
import type Dockerode from 'dockerode';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IContainerPort } from 'kubernetes-models/v1/ContainerPort';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { RUN_DIR, SECRETS_DIR } from '@shared/worker-contract';
import { MIB, SECOND_NS } from '../cluster/container-configs';

/** An env var of a container: a plain value or a reference (secret key, pod field). */
export type EnvVar = IEnvVar;

export interface PodTemplateContext {
  /** Who the container is, for warnings: `pool "tools"`, `redis`. */
  who: string;
  /** The container's name in the pod. */
  containerName: string;
  /** Env vars to replace (a reference instead of a value) or, with null, to drop. */
  envOverrides?: Readonly<Record<string, Omit<EnvVar, 'name'> | null>>;
  /** The Secret mounted where the local container mounts the run volume, with the keys it needs. */
  runSecret: { name: string; keys: readonly string[] } | null;
  /** The Secret mounted at /run/secrets, where the local container mounts its secrets volume. */
  poolSecret: string | null;
  /** Engine volumes that become the StatefulSet's claims: mount target → claim name. */
  claims?: Readonly<Record<string, string>>;
  /** uid:gid to run as when the options name no numeric User (e.g. Redis's own user). */
  user?: { uid: number; gid: number };
  /** Capabilities added back; default the options' CapAdd. */
  capAdd?: readonly string[];
}

export interface PodTemplate {
  container: IContainer;
  volumes: IVolume[];
  podSecurityContext: IPodSecurityContext;
  terminationGracePeriodSeconds: number | undefined;
  warnings: string[];
}

/** Read-only Secret files: the owner and the pod's fsGroup may read them. */
const SECRET_FILE_MODE = 0o440;

/** "1000:1000" → numbers; null when the user is a name or absent (the image's own user). */
function numericUser(user: string | undefined): { uid: number; gid: number } | null {
  const match = /^(\d+)(?::(\d+))?$/.exec(user ?? '');
  if (!match) return null;
  const uid = Number(match[1]);
  return { uid, gid: match[2] === undefined ? uid : Number(match[2]) };
}

/** The engine's healthcheck test as an exec command; null for none (or "NONE"). */
export function probeCommand(test: readonly string[] | undefined): string[] | null {
  if (!test || test.length === 0 || test[0] === 'NONE') return null;
  if (test[0] === 'CMD-SHELL') return ['/bin/sh', '-c', test.slice(1).join(' ')];
  if (test[0] === 'CMD') return test.slice(1);
  return null;
}

function probeOf(health: Dockerode.ContainerCreateOptions['Healthcheck']): IProbe | null {
  const command = probeCommand(health?.Test);
  if (!health || !command) return null;
  const seconds = (ns: number | undefined, fallback: number) =>
    Math.max(1, Math.round((ns ?? fallback * SECOND_NS) / SECOND_NS));
  return {
    exec: { command },
    periodSeconds: seconds(health.Interval, 30),
    timeoutSeconds: seconds(health.Timeout, 30),
    failureThreshold: Math.max(1, health.Retries ?? 3),
    ...(health.StartPeriod ? { initialDelaySeconds: seconds(health.StartPeriod, 0) } : {}),
  };
}

/** "rw,nosuid,nodev,mode=1777,size=256m" → "256Mi" (null without a size). */
function tmpfsSize(options: string): string | null {
  const match = /(?:^|,)size=(\d+)([kmg]?)(?:,|$)/i.exec(options);
  if (!match) return null;
  const unit = { '': '', k: 'Ki', m: 'Mi', g: 'Gi' }[match[2]!.toLowerCase()] ?? '';
  return `${match[1]}${unit}`;
}

function resourcesOf(host: Dockerode.HostConfig): IResourceRequirements | null {
  const limits: Record<string, string> = {};
  if (host.NanoCpus) limits.cpu = `${Math.max(1, Math.round(host.NanoCpus / 1_000_000))}m`;
  if (host.Memory) limits.memory = `${Math.round(host.Memory / MIB)}Mi`;
  return Object.keys(limits).length > 0 ? { limits, requests: { ...limits } } : null;
}

function envOf(options: Dockerode.ContainerCreateOptions, ctx: PodTemplateContext): EnvVar[] {
  const env: EnvVar[] = [];
  for (const entry of options.Env ?? []) {
    const at = entry.indexOf('=');
    const name = at < 0 ? entry : entry.slice(0, at);
    const override = ctx.envOverrides?.[name];
    if (override === null) continue;
    env.push(override ? { name, ...override } : { name, value: entry.slice(at + 1) });
  }
  return env;
}

interface MountPlan {
  volumes: IVolume[];
  mounts: IVolumeMount[];
  warnings: string[];
}

function mountsOf(host: Dockerode.HostConfig, ctx: PodTemplateContext): MountPlan {
  const plan: MountPlan = { volumes: [], mounts: [], warnings: [] };
  const add = (name: string, volume: Omit<IVolume, 'name'> | null, target: string, ro: boolean) => {
    if (volume) plan.volumes.push({ name, ...volume });
    plan.mounts.push({ name, mountPath: target, ...(ro ? { readOnly: true } : {}) });
  };
  (host.Mounts ?? []).forEach((mount, index) => {
    const target = mount.Target;
    const claim = ctx.claims?.[target];
    if (target === RUN_DIR && ctx.runSecret) {
      const items = ctx.runSecret.keys.map((key) => ({ key, path: key }));
      const secret = { secretName: ctx.runSecret.name, items, defaultMode: SECRET_FILE_MODE };
      add('run', { secret }, target, true);
    } else if (target === SECRETS_DIR && ctx.poolSecret) {
      add(
        'secrets',
        { secret: { secretName: ctx.poolSecret, defaultMode: SECRET_FILE_MODE } },
        target,
        true,
      );
    } else if (claim) {
      add(claim, null, target, mount.ReadOnly === true);
    } else if (mount.Type === 'bind') {
      add(`host-folder-${index}`, { emptyDir: {} }, target, mount.ReadOnly === true);
      plan.warnings.push(
        `${ctx.who}: the host folder ${mount.Source} (at ${target}) cannot travel to Kubernetes; ` +
          `it is an empty folder (emptyDir "host-folder-${index}") in the manifests. ` +
          'Put its files into the image, or replace the emptyDir with a PersistentVolumeClaim or a ConfigMap.',
      );
    } else {
      plan.warnings.push(
        `${ctx.who}: the volume at ${target} has no Kubernetes equivalent and was left out.`,
      );
    }
  });
  Object.entries(host.Tmpfs ?? {}).forEach(([target, options], index) => {
    const size = tmpfsSize(options);
    add(
      `tmp-${index}`,
      { emptyDir: { medium: 'Memory', ...(size ? { sizeLimit: size } : {}) } },
      target,
      false,
    );
  });
  return plan;
}

/** The pod template parts of one local container's create options. */
export function podTemplateOf(
  options: Dockerode.ContainerCreateOptions,
  ctx: PodTemplateContext,
): PodTemplate {
  const host = options.HostConfig ?? {};
  const user = numericUser(options.User) ?? ctx.user ?? null;
  const capAdd = ctx.capAdd ?? host.CapAdd ?? [];
  const { volumes, mounts, warnings } = mountsOf(host, ctx);
  const probe = probeOf(options.Healthcheck);
  const resources = resourcesOf(host);
  const ports = Object.keys(options.ExposedPorts ?? {}).map((key): IContainerPort => {
    const [port, protocol] = key.split('/');
    const named = (protocol ?? 'tcp').toUpperCase();
    return {
      containerPort: Number(port),
      protocol: named === 'UDP' || named === 'SCTP' ? named : 'TCP',
    };
  });
  const env = envOf(options, ctx);
  const container: IContainer = {
    name: ctx.containerName,
    image: options.Image,
    ...(options.Cmd && options.Cmd.length > 0 ? { args: options.Cmd } : {}),
    ...(env.length > 0 ? { env } : {}),
    ...(ports.length > 0 ? { ports } : {}),
    ...(resources ? { resources } : {}),
    ...(probe ? { livenessProbe: probe, readinessProbe: probe } : {}),
    ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
    securityContext: {
      runAsNonRoot: true,
      ...(user ? { runAsUser: user.uid, runAsGroup: user.gid } : {}),
      allowPrivilegeEscalation: !(host.SecurityOpt ?? []).includes('no-new-privileges'),
      readOnlyRootFilesystem: host.ReadonlyRootfs === true,
      capabilities: {
        drop: host.CapDrop ?? ['ALL'],
        ...(capAdd.length > 0 ? { add: capAdd } : {}),
      },
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
  return {
    container,
    volumes,
    podSecurityContext: {
      runAsNonRoot: true,
      // Secret files (mode 0440) and claims are readable by the container's group.
      ...(user ? { fsGroup: user.gid } : {}),
      seccompProfile: { type: 'RuntimeDefault' },
    },
    terminationGracePeriodSeconds: options.StopTimeout,
    warnings,
  };
}
