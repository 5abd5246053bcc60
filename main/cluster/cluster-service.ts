/**
 * The cluster as every face uses it: up, down, scale, status, logs, connect, restart or stop a
 * worker, and the cluster's containers for the layers above. Holds no Electron and no terminal
 * code; settings, secrets and the engine are injected.
 */
import { ensureImage } from '../images/images';
import type { EngineConnection } from '../engine/connect';
import { ensureWorkerImage } from '../images/worker-image';
import type { SecretStore } from '../settings/secret-store';
import { ensureRedisPassword, redisPasswordKey } from '../settings/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { MAX_WORKERS } from '@shared/spec-limits';
import { GuildhallError, isGuildhallError } from '../util/errors';
import { noProgress, progress, type ProgressSink } from '../util/progress';
import { removeContainer } from './container-removal';
import { ClusterContainers, type ContainerLogs } from './containers';
import { containerName, networkName, volumeName } from './naming';
import { listClusterContainers } from './observe';
import { waitClusterReady } from './readiness';
import { workersCanUseSocket } from './container-configs';
import { planActions } from './plan';
import { ensureClusterInfra, reconcile } from './reconciler';
import { applyEnvOverrides, type ClusterSpec } from '../settings/cluster-spec';
import { clusterStatus, pingWithPassword, type ClusterStatus } from './status';

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
  workers?: number;
  redisPort?: number;
  onProgress?: ProgressSink;
  /** Wait until every worker has sent a heartbeat (default true). */
  waitForWorkers?: boolean;
  timeoutMs?: number;
}

export class ClusterService {
  constructor(private readonly deps: ClusterServiceDeps) {}

  /** Loads the spec (the settings store makes the first settings on first run). */
  async spec(): Promise<{ spec: ClusterSpec; warnings: string[] }> {
    const { settings, warnings } = await this.deps.settings.load();
    return { spec: applyEnvOverrides(settings.cluster, this.deps.env ?? process.env), warnings };
  }

  async password(cluster: string): Promise<string> {
    return ensureRedisPassword(this.deps.secrets, cluster);
  }

  private async saveSpecChange(change: (spec: ClusterSpec) => ClusterSpec): Promise<void> {
    await this.deps.settings.update((current) => ({
      ...current,
      cluster: change(current.cluster),
    }));
  }

  async up(options: UpOptions = {}): Promise<ClusterStatus> {
    const onProgress = options.onProgress ?? noProgress;
    if (options.workers !== undefined) assertWorkerCount(options.workers);
    if (options.workers !== undefined || options.redisPort !== undefined) {
      await this.spec();
      await this.saveSpecChange((spec) => ({
        ...spec,
        workers: { ...spec.workers, replicas: options.workers ?? spec.workers.replicas },
        redis: { ...spec.redis, port: options.redisPort ?? spec.redis.port },
      }));
    }
    const { spec } = await this.spec();
    const engine = await this.connect(onProgress);
    const { docker } = engine;
    const password = await this.password(spec.name);

    // Asked alongside the images: whether workers may use Redis's socket (see workersCanUseSocket).
    const securityOptions = docker.info().then(
      (info: { SecurityOptions?: string[] }) => info.SecurityOptions,
      () => undefined,
    );
    // The network and volumes need no image: they are made while the images are checked.
    const infra = ensureClusterInfra({ docker, spec, onProgress });
    let images: [string, string];
    try {
      images = await Promise.all([
        ensureImage(docker, spec.redis.image, onProgress).then(() => spec.redis.image),
        ensureWorkerImage(docker, {
          contextDir: this.deps.workerContextDir,
          baseImage: spec.workers.baseImage,
          onProgress,
        }),
      ]);
    } catch (err) {
      await infra.catch(() => {}); // settled (it is quick) before the error is reported
      throw err;
    }
    await infra;
    const [redisImage, workerImage] = images;

    // Readiness polling runs alongside the reconcile, so the cluster is reported ready the moment
    // Redis answers and the last worker registers.
    const names =
      options.waitForWorkers === false
        ? []
        : Array.from({ length: spec.workers.replicas }, (_, i) =>
            containerName(spec.name, 'worker', i + 1),
          );
    const abort = new AbortController();
    let onRedisStarted!: () => void;
    const redisStarted = new Promise<void>((resolve) => (onRedisStarted = resolve));
    let setReplaced!: (ids: ReadonlySet<string>) => void;
    const replacedContainers = new Promise<ReadonlySet<string>>(
      (resolve) => (setReplaced = resolve),
    );
    const ready = waitClusterReady({
      docker,
      endpoint: { host: '127.0.0.1', port: spec.redis.port, password },
      cluster: spec.name,
      redisContainer: containerName(spec.name, 'redis', 1),
      workers: names,
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
        workerImage,
        version: this.deps.version,
        workerRedis: workersCanUseSocket(await securityOptions) ? 'socket' : 'tcp',
        redisJoinsFirst: engine.info?.engineName !== 'podman',
        onProgress,
        onRedisStarted,
        onPlan: (plan) =>
          setReplaced(
            new Set(planActions(plan).flatMap((a) => (a.kind === 'remove' ? [a.id] : []))),
          ),
      });
    } catch (err) {
      setReplaced(new Set());
      abort.abort();
      throw err;
    }
    await ready;
    return clusterStatus(docker, spec, pingWithPassword(password));
  }

  async scale(
    replicas: number,
    options: Omit<UpOptions, 'workers' | 'redisPort'> = {},
  ): Promise<ClusterStatus> {
    assertWorkerCount(replicas);
    return this.up({ ...options, workers: replicas });
  }

  async down(options: { volumes?: boolean; onProgress?: ProgressSink } = {}): Promise<void> {
    const onProgress = options.onProgress ?? noProgress;
    const { spec } = await this.spec();
    const { docker } = await this.connect(onProgress);
    const containers = await listClusterContainers(docker, spec.name);
    await Promise.all(
      containers.map(async (info) => {
        const name = (info.Names[0] ?? info.Id).replace(/^\//, '');
        progress(onProgress, 'remove', name, 'running', { message: 'stopping' });
        await removeContainer(
          docker,
          info.Id,
          info.State === 'running' ? spec.workers.stopTimeoutSeconds : 0,
        );
        progress(onProgress, 'remove', name, 'done', { message: 'removed' });
      }),
    );
    const network = networkName(spec.name);
    const networks = await docker.listNetworks({ filters: { name: [network] } });
    for (const n of networks.filter((n) => n.Name === network)) {
      progress(onProgress, 'network', network, 'running', { message: 'removing' });
      await docker.getNetwork(n.Id).remove();
      progress(onProgress, 'network', network, 'done', { message: 'removed' });
    }
    // The run volume holds only what the next up writes again (config, password, socket).
    const volumes = [volumeName(spec.name, 'redis-run')];
    if (options.volumes) volumes.push(volumeName(spec.name, 'redis-data'));
    for (const volume of volumes) {
      progress(onProgress, 'volume', volume, 'running', { message: 'removing' });
      await docker
        .getVolume(volume)
        .remove()
        .catch((err: { statusCode?: number }) => {
          if (err.statusCode !== 404) throw err;
        });
      progress(onProgress, 'volume', volume, 'done', { message: 'removed' });
    }
  }

  async status(): Promise<ClusterStatus> {
    const { spec } = await this.spec();
    const { docker } = await this.connect(noProgress);
    const password = await this.deps.secrets.get(redisPasswordKey(spec.name));
    try {
      return await clusterStatus(docker, spec, pingWithPassword(password));
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
    const password = await this.password(spec.name);
    return `redis://:${encodeURIComponent(password)}@127.0.0.1:${spec.redis.port}`;
  }

  /** The configured cluster's containers on the engine (connects first). */
  async containers(): Promise<ClusterContainers> {
    const { spec } = await this.spec();
    const { docker, endpoint, info } = await this.connect(noProgress);
    return new ClusterContainers(docker, spec.name, { endpoint, info });
  }

  /**
   * The output of `redis`, `worker-N` or a container name, decoded; throws not-found with the
   * known names.
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
      const known = (await clusterStatus(docker, spec)).workers.map((w) => `worker-${w.number}`);
      throw new GuildhallError(
        'not-found',
        `No container "${target}" in cluster ${spec.name}.`,
        `Known: redis${known.length ? `, ${known.join(', ')}` : ''}.`,
      );
    }
    return containers.logs(name, options);
  }

  /** Restarts worker N (a graceful stop, then start); throws not-found naming the workers. */
  async restartWorker(number: number): Promise<ClusterStatus> {
    return this.controlWorker(number, (containers, name, t) => containers.restart(name, t));
  }

  /**
   * Stops worker N gracefully. It stays stopped (and the cluster degraded) until it is restarted
   * or `up` runs again.
   */
  async stopWorker(number: number): Promise<ClusterStatus> {
    return this.controlWorker(number, (containers, name, t) => containers.stop(name, t));
  }

  private async controlWorker(
    number: number,
    act: (containers: ClusterContainers, name: string, stopSeconds: number) => Promise<void>,
  ): Promise<ClusterStatus> {
    const { spec } = await this.spec();
    const { docker } = await this.connect(noProgress);
    const containers = new ClusterContainers(docker, spec.name);
    const name = containerName(spec.name, 'worker', number);
    if (!(await containers.find(name))) {
      const known = (await this.status()).workers.map((w) => w.number);
      throw new GuildhallError(
        'not-found',
        `Cluster ${spec.name} has no worker ${number}.`,
        known.length
          ? `Its workers are: ${known.join(', ')}.`
          : 'It has no workers; scale it up first.',
      );
    }
    await act(containers, name, spec.workers.stopTimeoutSeconds);
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

function assertWorkerCount(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_WORKERS) {
    throw new GuildhallError(
      'invalid-input',
      `Worker count must be a whole number from 0 to ${MAX_WORKERS} (got ${n}).`,
      `Example: guildhall scale 4`,
    );
  }
}
