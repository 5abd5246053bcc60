/**
 * The containers' security fields, kept apart from the rest of their create options: every
 * capability dropped and only what each needs added back, no privilege gain through setuid
 * binaries, a pids limit (a fork bomb in a job stays in its worker), and for workers a read-only
 * root filesystem with a private /tmp. Redis's memory limit leaves room above its `maxmemory`, so
 * a full Redis refuses writes (noeviction) instead of being killed by the kernel mid-write.
 */
import type Dockerode from 'dockerode';

type HostConfig = NonNullable<Dockerode.ContainerCreateOptions['HostConfig']>;

/**
 * Redis may start as root to hand /data to its own user and step down to it (the official
 * image's entrypoint chowns, then switches user with gosu): that takes these, and nothing else.
 */
export const REDIS_CAPABILITIES = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'];

/** Tasks (processes and threads) in the Redis container: its threads plus the healthcheck's. */
export const REDIS_PIDS_LIMIT = 256;

/** Workers' /tmp (HOME too): the only writable place besides the mounted volumes. */
export const WORKER_TMPFS = { '/tmp': 'rw,nosuid,nodev,mode=1777,size=256m' };

/** Share of Redis's memory limit given to its data (`maxmemory`); the rest is for overhead. */
export const REDIS_MAXMEMORY_SHARE = 0.75;

/**
 * Tasks in a worker: Node's own threads, plus per concurrent job one sandboxed Node process
 * (about a dozen threads each) or a shell command's process tree.
 */
export function workerPidsLimit(concurrency: number): number {
  return 256 + 32 * concurrency;
}

/** Redis's `maxmemory` in MiB for a container limit (0: no limit, no maxmemory). */
export function redisMaxMemoryMb(memoryMb: number): number {
  return memoryMb > 0 ? Math.max(1, Math.floor(memoryMb * REDIS_MAXMEMORY_SHARE)) : 0;
}

export function redisSecurity(): Partial<HostConfig> {
  return {
    CapDrop: ['ALL'],
    CapAdd: REDIS_CAPABILITIES,
    SecurityOpt: ['no-new-privileges'],
    PidsLimit: REDIS_PIDS_LIMIT,
  };
}

/** Workers run as an unprivileged user and need no capability at all. */
export function workerSecurity(concurrency: number): Partial<HostConfig> {
  return {
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
    PidsLimit: workerPidsLimit(concurrency),
    ReadonlyRootfs: true,
    Tmpfs: WORKER_TMPFS,
  };
}

/** Tasks in a custom pool's container: its program's processes and threads (a Celery pool…). */
export const CUSTOM_POOL_PIDS_LIMIT = 1024;

/**
 * A custom pool runs any image, as the image's own user: no capability, no privilege gain, a pids
 * limit. Its root filesystem stays writable (images write where they please, e.g. Celery's state).
 */
export function customPoolSecurity(): Partial<HostConfig> {
  return {
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
    PidsLimit: CUSTOM_POOL_PIDS_LIMIT,
  };
}
