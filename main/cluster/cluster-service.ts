/**
 * The cluster as every face uses it: up, down, scale, status, logs, connect, restart or stop a
 * worker, and the cluster's containers for the layers above. Holds no Electron and no terminal
 * code; settings, secrets and the engine are injected.
 */
import type Dockerode from 'dockerode';
import { ensureImage } from '../images/images';
import type { EngineConnection } from '../engine/connect';
import type { SecretStore } from '../settings/secret-store';
import { ensureRedisPassword } from '../settings/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { GuildhallError, isGuildhallError } from '../util/errors';
import { noProgress, progress, type ProgressSink } from '../util/progress';
import { redisConnectionUrl } from './connection-url';
import { ClusterContainers, type ContainerLogs } from './containers';
import { containerName, parseShortName, shortName } from './naming';
import { removeCluster, type DownResult } from './cluster-removal';

export type { DownResult } from './cluster-removal';
import { waitClusterReady } from './readiness';
import { supportsHostGateway, workersCanUseSocket } from './container-configs';
import { planActions } from './plan';
import { ensureClusterInfra, reconcile } from './reconciler';
import {
  applyEnvOverrides,
  clusterPools,
  imageOverrides,
  type ClusterSpec,
  type ImageOverrides,
} from '../settings/cluster-spec';
import { DEFAULT_POOL } from '../settings/pool-spec';
import { poolImages } from './pool-images';
import {
  assertPool,
  assertTotalWithinLimit,
  assertWorkerCount,
  withPoolReplicas,
} from './pool-scaling';
import { clusterStatus, redisProbes, type ClusterStatus } from './status';
import {
  coreRedisConnection,
  externalClientUrl,
  externalRedisFiles,
  type ConnectionOptions,
  type RedisConnection,
} from './redis-connection';
import { checkExternalForUp } from './external-redis';
import {
  pruneSecretsVolumes,
  resolveClusterPoolHosts,
  secretsVolumesInUse,
  type PoolHost,
} from './pool-host';

export type EngineHandle = EngineConnection;

export interface ClusterServiceDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  /** Connects to the container engine (throws a classified GuildhallError when it cannot). */
  engine: () => Promise<EngineHandle>;
  /** Folder with the worker image context (Dockerfile + the bundled worker program). */
  workerContextDir: string;
  version: string;
  env?: NodeJS.ProcessEnv;
}

export interface UpOptions {
  /** Containers wanted in pool `pool` (the default pool `worker` when none is named). */
  workers?: number;
  pool?: string;
  redisPort?: number;
  onProgress?: ProgressSink;
  /** Wait until every worker has sent a heartbeat (default true). */
  waitForWorkers?: boolean;
  timeoutMs?: number;
}

/** Internal to `up`: what `recreateMissing` narrows it to. */
interface UpRun extends UpOptions {
  onlyMissing?: boolean;
}

export class ClusterService {
  constructor(private readonly deps: ClusterServiceDeps) {}

  /** Loads the spec (the settings store makes the first settings on first run). */
  async spec(): Promise<{ spec: ClusterSpec; warnings: string[] }> {
    const { settings, warnings } = await this.deps.settings.load();
    return { spec: applyEnvOverrides(settings.cluster, this.deps.env ?? process.env), warnings };
  }

  /** Image settings the environment overrides for this process (what runs instead). */
  imageOverrides(): ImageOverrides {
    return imageOverrides(this.deps.env ?? process.env);
  }

  async password(cluster: string): Promise<string> {
    return ensureRedisPassword(this.deps.secrets, cluster);
  }

  /**
   * How the core connects to this cluster's Redis (redis-connection.ts): every core connection
   * (queues, monitor, status, readiness, diagnostics) is built from this.
   */
  async redisConnection(options: ConnectionOptions = {}): Promise<RedisConnection> {
    const { spec } = await this.spec();
    return coreRedisConnection(spec, this.deps.secrets, options);
  }

  private async saveSpecChange(change: (spec: ClusterSpec) => ClusterSpec): Promise<void> {
    await this.deps.settings.update((current) => ({
      ...current,
      cluster: change(current.cluster),
    }));
  }

  async up(options: UpRun = {}): Promise<ClusterStatus> {
    const onProgress = options.onProgress ?? noProgress;
    const pool = options.pool ?? DEFAULT_POOL;
    if (options.workers !== undefined) assertWorkerCount(options.workers, pool);
    // A change (a pool's count, port) is saved only once the cluster runs it: a failed change (an
    // image that cannot be pulled, a port in use) leaves the settings file as it was.
    const workers = options.workers;
    const change =
      workers !== undefined || options.redisPort !== undefined
        ? (current: ClusterSpec): ClusterSpec => {
            const scaled =
              workers === undefined ? current : withPoolReplicas(current, pool, workers);
            return {
              ...scaled,
              redis: { ...scaled.redis, port: options.redisPort ?? scaled.redis.port },
            };
          }
        : null;
    const saved = (await this.spec()).spec;
    if (workers !== undefined) assertPool(saved, pool);
    const spec = change ? change(saved) : saved;
    assertTotalWithinLimit(spec);
    const engine = await this.connect(onProgress);
    const { docker } = engine;
    const password = await this.password(spec.name);
    // Every pool's secrets and mounts, checked before anything changes (pool-host.ts): a secret
    // not in the store or a refused mount source stops `up` here.
    const hosts = await resolveClusterPoolHosts(this.deps.secrets, spec, password);
    // An external Redis is checked before anything is made: a wrong password, an untrusted
    // certificate or an unreachable address stops `up` here.
    const redis = await coreRedisConnection(spec, this.deps.secrets, { ensurePassword: true });
    if (redis.external) await checkExternalForUp(redis, spec.redis.external, onProgress);
    // The network and volumes need no image: they are made while the images are checked.
    const infra = ensureClusterInfra({ docker, spec, onProgress });
    const phase = { provisioned: false };
    try {
      return await this.upOnInfra(docker, engine, spec, password, infra, options, phase, change, {
        hosts,
        redis,
      });
    } catch (err) {
      // A first up that fails to provision (no image, a container the engine will not create or
      // start) leaves nothing behind: with no data volume before it, it removes all it made. A
      // cluster that was made but does not become ready stays, for its logs and `doctor`.
      const created = await infra.catch(() => []);
      // With an external Redis there is no data volume: the run volume marks a first up.
      const marker = spec.redis.external ? 'redis-run' : 'redis-data';
      const firstUp = created.some((a) => a.kind === 'create-volume' && a.volume === marker);
      if (firstUp && !phase.provisioned) {
        await removeCluster(docker, spec, { volumes: true, stopSeconds: 0, onProgress }).catch(
          () => {},
        );
      }
      throw err;
    }
  }

  private async upOnInfra(
    docker: Dockerode,
    engine: EngineHandle,
    spec: ClusterSpec,
    password: string,
    infra: Promise<unknown>,
    options: UpRun,
    phase: { provisioned: boolean },
    change: ((spec: ClusterSpec) => ClusterSpec) | null,
    { hosts, redis }: { hosts: ReadonlyMap<string, PoolHost>; redis: RedisConnection },
  ): Promise<ClusterStatus> {
    const onProgress = options.onProgress ?? noProgress;
    // Asked alongside the images: whether workers may use Redis's socket (see workersCanUseSocket).
    const securityOptions = docker.info().then(
      (info: { SecurityOptions?: string[] }) => info.SecurityOptions,
      () => undefined,
    );
    const pools = clusterPools(spec);
    let images: [string, Record<string, string>];
    try {
      images = await Promise.all([
        // An external Redis needs no image of ours.
        spec.redis.external
          ? Promise.resolve(spec.redis.image)
          : ensureImage(docker, spec.redis.image, onProgress).then(() => spec.redis.image),
        poolImages(pools, {
          docker,
          spec,
          workerContextDir: this.deps.workerContextDir,
          onProgress,
        }),
      ]);
    } catch (err) {
      await infra.catch(() => {}); // settled (it is quick) before the error is reported
      throw err;
    }
    await infra;
    const [redisImage, imagesByPool] = images;

    // Readiness polling runs alongside the reconcile, so the cluster is reported ready the moment
    // Redis answers and the last worker registers (built-in pools) or runs (custom pools).
    const containersOf = (kind: 'builtin' | 'custom') =>
      options.waitForWorkers === false
        ? []
        : pools
            .filter((p) => p.kind === kind)
            .flatMap((p) =>
              Array.from({ length: p.spec.replicas }, (_, i) => ({
                name: containerName(spec.name, p.name, i + 1),
                healthcheck: p.spec.healthcheck !== null,
              })),
            );
    const names = containersOf('builtin').map((c) => c.name);
    const abort = new AbortController();
    let onRedisStarted!: () => void;
    const redisStarted = new Promise<void>((resolve) => (onRedisStarted = resolve));
    let setReplaced!: (ids: ReadonlySet<string>) => void;
    const replacedContainers = new Promise<ReadonlySet<string>>(
      (resolve) => (setReplaced = resolve),
    );
    const ready = waitClusterReady({
      docker,
      endpoint: redis,
      cluster: spec.name,
      // An external Redis has no container: progress names its address (no exit to watch).
      redisContainer: redis.external
        ? `external ${redis.host}:${redis.port}`
        : containerName(spec.name, 'redis', 1),
      workers: names,
      customContainers: containersOf('custom'),
      onProgress,
      timeoutMs: options.timeoutMs ?? 90_000,
      signal: abort.signal,
      redisStarted,
      replacedContainers,
    });
    ready.catch(() => {}); // awaited below; avoids an unhandled rejection if reconcile fails first
    try {
      await reconcile({
        docker,
        spec,
        password,
        redisImage,
        workerImage: imagesByPool[DEFAULT_POOL] ?? '',
        poolImages: imagesByPool,
        poolHosts: hosts,
        externalRedis: externalRedisFiles(spec, redis),
        version: this.deps.version,
        workerRedis: workersCanUseSocket(await securityOptions) ? 'socket' : 'tcp',
        hostGateway: supportsHostGateway(engine.info?.engineName),
        redisJoinsFirst: engine.info?.engineName !== 'podman',
        onlyMissing: options.onlyMissing,
        onProgress,
        onRedisStarted,
        onPlan: (plan) =>
          setReplaced(
            new Set(planActions(plan).flatMap((a) => (a.kind === 'remove' ? [a.id] : []))),
          ),
      });
      if (change) await this.saveSpecChange(change);
      // Secrets volumes of values or pools no longer in use (one still in use stays).
      await pruneSecretsVolumes(docker, spec.name, secretsVolumesInUse(hosts)).catch(() => []);
    } catch (err) {
      setReplaced(new Set());
      abort.abort();
      throw err;
    }
    phase.provisioned = true;
    await ready;
    return clusterStatus(docker, spec, redisProbes(redis, spec.name));
  }

  /** Scales one pool (the default pool `worker` unless `options.pool` names another). */
  async scale(
    replicas: number,
    options: Omit<UpOptions, 'workers' | 'redisPort'> = {},
  ): Promise<ClusterStatus> {
    assertWorkerCount(replicas, options.pool);
    return this.up({ ...options, workers: replicas });
  }

  /**
   * Creates the pool containers whose slot is empty (removed by hand, say) and nothing else:
   * Redis, stopped containers, outdated or extra ones are left for `up`. The supervisor's heal
   * duty calls it; the spec is not changed.
   */
  async recreateMissing(options: { onProgress?: ProgressSink } = {}): Promise<ClusterStatus> {
    return this.up({ onProgress: options.onProgress, waitForWorkers: false, onlyMissing: true });
  }

  /** Removes the cluster's containers and network (and with `volumes` its Redis data). */
  async down(options: { volumes?: boolean; onProgress?: ProgressSink } = {}): Promise<DownResult> {
    const onProgress = options.onProgress ?? noProgress;
    const { spec } = await this.spec();
    const { docker } = await this.connect(onProgress);
    return removeCluster(docker, spec, {
      volumes: options.volumes ?? false,
      stopSeconds: Math.max(...clusterPools(spec).map((p) => p.spec.stopTimeoutSeconds)),
      onProgress,
    });
  }

  async status(): Promise<ClusterStatus> {
    const { spec } = await this.spec();
    const { docker } = await this.connect(noProgress);
    const redis = await coreRedisConnection(spec, this.deps.secrets).catch(() => null);
    try {
      return await clusterStatus(docker, spec, redisProbes(redis, spec.name));
    } catch (err) {
      // E.g. an engine shutting down answers 500 "database not open" after the connect.
      if (isGuildhallError(err)) throw err;
      const detail = ((err as Error)?.message ?? String(err))
        .split('\n')[0]
        ?.replace(/^\(HTTP code \d+\)\s*/, '');
      throw new GuildhallError(
        'engine-failed',
        `The container engine failed while reading the cluster's status: ${detail}`,
        'If the engine is restarting, try again in a moment; otherwise run `guildhall doctor`.',
      );
    }
  }

  /** The Redis URL, password included, for the local user's own clients. */
  async connectionUrl(): Promise<string> {
    const { spec } = await this.spec();
    const external = spec.redis.external;
    if (external) {
      const redis = await coreRedisConnection(spec, this.deps.secrets);
      return externalClientUrl(external, redis.password ?? null);
    }
    const password = await this.password(spec.name);
    return redisConnectionUrl(spec.redis.port, password);
  }

  /** The configured cluster's containers on the engine (connects first). */
  async containers(): Promise<ClusterContainers> {
    const { spec } = await this.spec();
    const { docker, endpoint, info } = await this.connect(noProgress);
    return new ClusterContainers(docker, spec.name, { endpoint, info });
  }

  /**
   * The output of `redis`, `POOL-N` (`worker-2`, `tools-1`) or a container name, decoded; throws
   * not-found with the known names.
   */
  async logs(
    target: string,
    options: { follow?: boolean; tail?: number } = {},
  ): Promise<ContainerLogs> {
    const { spec } = await this.spec();
    const { docker } = await this.connect(noProgress);
    const containers = new ClusterContainers(docker, spec.name);
    const name = containers.nameOf(target);
    try {
      await containers.inspect(name);
    } catch {
      const known = (await clusterStatus(docker, spec)).workers.map((w) => `${w.pool}-${w.number}`);
      const asked = parseShortName(target);
      const pools = clusterPools(spec).map((p) => p.name);
      const unknownPool = asked && asked.pool !== 'redis' && !pools.includes(asked.pool);
      throw new GuildhallError(
        'not-found',
        unknownPool
          ? `No container "${target}" in cluster ${spec.name}: it has no pool "${asked.pool}".`
          : `No container "${target}" in cluster ${spec.name}.`,
        `Known: redis${known.length ? `, ${known.join(', ')}` : ''}` +
          (unknownPool ? `; pools: ${pools.join(', ')}.` : '.'),
      );
    }
    return containers.logs(name, options);
  }

  /**
   * Restarts container N of a pool (default: the default pool), a graceful stop then start;
   * throws not-found naming the pool's containers, or the pools when there is no such pool.
   */
  async restartWorker(number: number, pool: string = DEFAULT_POOL): Promise<ClusterStatus> {
    return this.controlWorker(pool, number, (containers, name, t) => containers.restart(name, t));
  }

  /**
   * Stops container N of a pool gracefully. It stays stopped (and the cluster degraded) until it
   * is restarted or `up` runs again.
   */
  async stopWorker(number: number, pool: string = DEFAULT_POOL): Promise<ClusterStatus> {
    return this.controlWorker(pool, number, (containers, name, t) => containers.stop(name, t));
  }

  private async controlWorker(
    pool: string,
    number: number,
    act: (containers: ClusterContainers, name: string, stopSeconds: number) => Promise<void>,
  ): Promise<ClusterStatus> {
    const { spec } = await this.spec();
    const pools = clusterPools(spec);
    const owner = pools.find((p) => p.name === pool);
    if (!owner) {
      throw new GuildhallError(
        'not-found',
        `Cluster ${spec.name} has no pool "${pool}".`,
        `Its pools are: ${pools.map((p) => p.name).join(', ')}.`,
      );
    }
    const { docker } = await this.connect(noProgress);
    const containers = new ClusterContainers(docker, spec.name);
    const name = containerName(spec.name, pool, number);
    if (!(await containers.find(name))) {
      // The default pool's workers by number (as before pools), another pool's by short name.
      const label = (n: number) => (pool === DEFAULT_POOL ? String(n) : shortName(pool, n));
      const whose = pool === DEFAULT_POOL ? 'Its' : `Pool ${pool}'s`;
      const known = (await this.status()).workers
        .filter((w) => w.pool === pool)
        .map((w) => label(w.number));
      throw new GuildhallError(
        'not-found',
        `Cluster ${spec.name} has no worker ${label(number)}.`,
        known.length
          ? `${whose} workers are: ${known.join(', ')}.`
          : `${pool === DEFAULT_POOL ? 'It' : `Pool ${pool}`} has no workers; scale it up first.`,
      );
    }
    await act(containers, name, owner.spec.stopTimeoutSeconds);
    return this.status();
  }

  private async connect(onProgress: ProgressSink): Promise<EngineHandle> {
    progress(onProgress, 'engine', 'engine', 'running', { message: 'connecting' });
    try {
      const engine = await this.deps.engine();
      progress(onProgress, 'engine', 'engine', 'done', { message: 'connected' });
      return engine;
    } catch (err) {
      progress(onProgress, 'engine', 'engine', 'failed', { message: (err as Error).message });
      throw err;
    }
  }
}
