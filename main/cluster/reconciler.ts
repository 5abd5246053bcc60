/**
 * Applies a plan to the engine: network and volumes first, then every container in parallel (each
 * slot in order: remove, create, start; Redis's config, password and URL files written before its
 * start), every pool's containers starting once Redis has joined the network, and scale-down (or
 * removed pools') removals gracefully. Safe to
 * run again at any point: names are fixed and containers are found by label, so an interrupted
 * run is finished by the next one, never duplicated.
 */
import type Dockerode from 'dockerode';
import { classifyContainerError, isNameConflict } from '../engine/container-errors';
import { GuildhallError } from '../util/errors';
import { progress, type ProgressSink, type ProgressStep } from '../util/progress';
import { clusterPools } from '../settings/cluster-spec';
import { poolImage, poolOf, redisCreateOptions, type ContainerInputs } from './container-configs';
import { poolCreateOptions, poolHash } from './pool-configs';
import {
  containerName,
  LABEL,
  networkLabels,
  networkName,
  volumeLabels,
  volumeName,
  type ServiceName,
} from './naming';
import { observeCluster, observeInfra } from './observe';
import {
  onlyMissingWorkers,
  planCluster,
  planInfra,
  type Action,
  type InfraAction,
  type Plan,
} from './plan';
import {
  connectRedisToInternal,
  prepareInternalNetwork,
  removeInternalNetwork,
  usesInternalNetwork,
} from './internal-network';
import { heldBy, nextFreePort, redisPortStatus, type PortStatus } from './port-status';
import { describePortHolder, findPortHolder } from '../util/port-holder';
import { removeContainer } from './container-removal';
import { watchNetworkJoins } from './network-joins';
import {
  writeExternalRedisFiles,
  writeRunFiles,
  writeSecretsOnce,
  writeUrlFileForCustomPools,
} from './reconcile-files';
import type { ClusterSpec } from '../settings/cluster-spec';

export interface ReconcileOptions extends ContainerInputs {
  docker: Dockerode;
  onProgress: ProgressSink;
  /** Called once Redis is running (at once when it already was). */
  onRedisStarted?: () => void;
  /** Called with the plan before anything is changed. */
  onPlan?: (plan: Plan) => void;
  /**
   * Hold the workers' starts until Redis has joined the network (default true). Off for engines
   * whose network setup is not known to work that way (Podman), which start them together.
   */
  redisJoinsFirst?: boolean;
  /** Create only the pool containers whose slot is empty (plan.ts onlyMissingWorkers). */
  onlyMissing?: boolean;
}

export interface ReconcileResult {
  plan: Plan;
  changed: boolean;
}

export async function reconcile(options: ReconcileOptions): Promise<ReconcileResult> {
  const { docker, spec } = options;
  const observed = await observeCluster(docker, spec.name);
  observed.missingVolumes = ownVolumes(spec, observed.missingVolumes);
  const redis = redisCreateOptions(options);
  const planned = planCluster(observed, {
    // An external Redis: no container of ours (one left from before is removed).
    redisHash: spec.redis.external ? null : redis.hash,
    pools: clusterPools(spec).map((pool) => ({
      name: pool.name,
      hash: poolHash(options, pool),
      replicas: pool.spec.replicas,
    })),
  });
  const plan = options.onlyMissing ? onlyMissingWorkers(planned) : planned;
  options.onPlan?.(plan);

  if (plan.redis.some((a) => a.kind === 'create')) {
    // A Redis of ours that is about to be replaced may hold the port — running, or still
    // 'created' while an interrupted run's start is finishing in the engine. Removing it frees the
    // port; another program holding it is still caught when Redis starts.
    const port = await redisPortStatus(docker, spec.name, spec.redis.port);
    if (port.owner !== 'free' && port.owner !== 'ours') throw portInUseError(port);
  }

  await Promise.all(plan.infra.map((action) => runAction(options, action)));
  if (!options.onlyMissing) await prepareInternalNetwork(options, observed, plan);
  const externalRedis = options.externalRedis;
  if (externalRedis) await writeExternalRedisFiles({ ...options, externalRedis }, plan);
  else await writeUrlFileForCustomPools(options, plan);
  // Every container is created at once. Redis is started as soon as it exists with its config and
  // password in the run volume, and the workers once Redis has joined the network (the first stage
  // of its start, which the engine does one container at a time; see network-joins.ts), so Redis
  // is not a random one of N starts on a busy engine. Workers do not wait for Redis to answer: each
  // boots its Node process meanwhile and connects to Redis's socket as soon as it is there.
  // Scale-down removals run alongside. Both alternatives (workers starting once Redis runs, or as
  // soon as its start is requested) made `up` slower: tests/bench/cluster-up.mjs measures it,
  // tests/bench/REPORT.md has the figures.
  const joins =
    options.redisJoinsFirst !== false && startsRedisAndWorkers(plan)
      ? watchNetworkJoins(docker, networkName(spec.name))
      : null;
  let redisStartRequested!: (containerId: string | null) => void;
  let redisFailed!: (err: unknown) => void;
  const redisStarting = new Promise<string | null>((resolve, reject) => {
    redisStartRequested = resolve;
    redisFailed = reject;
  });
  redisStarting.catch(() => {}); // the workers' sequences see it; Redis's error is thrown
  const redisStarted = runSequence(options, plan.redis, {
    // Following the events first, so Redis's own join is not missed.
    before: joins?.then(() => undefined),
    startRequested: redisStartRequested,
  }).then(
    () => {
      redisStartRequested(null); // also when there was nothing to start
      options.onRedisStarted?.();
    },
    (err: unknown) => {
      // Failing before its start was requested (e.g. its name taken), Redis leaves the workers
      // created, not started; failing to start (e.g. its port taken), workers may be up and
      // waiting for it. Either way the next run completes the cluster.
      redisFailed(err);
      throw err;
    },
  );
  const workersMayStart = redisStarting.then(async (redisId) => {
    if (redisId === null || joins === null) return;
    const onNetwork = await Promise.race([
      (await joins).joined(redisId, NETWORK_JOIN_WAIT_MS),
      redisStarted.then(
        () => false,
        () => false,
      ),
    ]);
    if (onNetwork) {
      progress(options.onProgress, 'redis', containerName(spec.name, 'redis', 1), 'running', {
        message: 'on the network; starting the workers',
      });
    }
  });
  workersMayStart.catch(() => {});
  const workers = plan.workers.map((steps) =>
    runSequence(options, steps, { before: workersMayStart }),
  );
  const others = [
    Promise.all(plan.scaleDown.map((action) => runAction(options, action))),
    ...workers,
  ];
  // A worker may fail while Redis is still being started; its error is awaited below.
  for (const running of others) running.catch(() => {});
  try {
    try {
      await redisStarted;
    } catch (err) {
      await Promise.allSettled(others); // nothing left in flight when the error is reported
      throw err;
    }
    await Promise.all(others);
  } finally {
    void joins?.then((watch) => watch.close());
  }
  // Once no pool needs the internal network, it goes (its pools' containers are gone by now).
  if (!options.onlyMissing && !usesInternalNetwork(spec))
    await removeInternalNetwork(docker, spec.name, options.onProgress);
  const changed =
    plan.infra.length + plan.redis.length + plan.scaleDown.length + plan.workers.flat().length > 0;
  return { plan, changed };
}

/**
 * Creates the cluster's network and volumes where they are missing. They need no image, so `up`
 * makes them while the images are checked (or pulled), and reconcile then finds them in place.
 * Returns what it created.
 */
export async function ensureClusterInfra(
  options: Pick<ReconcileOptions, 'docker' | 'spec' | 'onProgress'>,
): Promise<InfraAction[]> {
  const infra = await observeInfra(options.docker, options.spec.name);
  const actions = planInfra({
    ...infra,
    missingVolumes: ownVolumes(options.spec, infra.missingVolumes),
  });
  await Promise.all(actions.map((action) => createInfra(options, action)));
  return actions;
}

/** The volumes the cluster makes: no data volume when it uses an external Redis. */
function ownVolumes<T extends string>(spec: ClusterSpec, volumes: T[]): T[] {
  return spec.redis.external ? volumes.filter((volume) => volume !== 'redis-data') : volumes;
}

/** When a container may start: after `before`; `startRequested` is called once it is asked to. */
interface StartGate {
  before?: Promise<void>;
  startRequested?: (containerId: string) => void;
}

/**
 * How long workers wait for Redis's network join before starting anyway (the engine reported
 * nothing). The join comes some 50 ms after the start request on an idle 2-core host; the limit
 * leaves room for a busy one. The wait also ends when Redis's start returns.
 */
const NETWORK_JOIN_WAIT_MS = 300;

function startsRedisAndWorkers(plan: Plan): boolean {
  const starts = (actions: Action[]) =>
    actions.some((a) => a.kind === 'create' || a.kind === 'start');
  return starts(plan.redis) && plan.workers.some(starts);
}

/** Runs a slot's actions in order. */
async function runSequence(
  options: ReconcileOptions,
  actions: Action[],
  gate: StartGate = {},
): Promise<void> {
  for (const action of actions) await runAction(options, action, gate);
}

function stepOf(service: ServiceName): ProgressStep {
  return service === 'redis' ? 'redis' : 'worker';
}

async function runAction(
  options: ReconcileOptions,
  action: Action,
  gate: StartGate = {},
): Promise<void> {
  const { docker, spec, onProgress } = options;
  switch (action.kind) {
    case 'create-network':
    case 'create-volume':
      return createInfra(options, action);
    case 'remove': {
      const step =
        action.service === 'worker' &&
        (action.reason === 'scale-down' || action.reason === 'pool-removed')
          ? 'scale'
          : 'remove';
      progress(onProgress, step, action.name, 'running', {
        message: `removing (${action.reason})`,
      });
      const graceful = action.reason !== 'incomplete' && action.reason !== 'broken';
      await removeContainer(docker, action.id, graceful ? stopTimeout(options, action) : 0);
      progress(onProgress, step, action.name, 'done', { message: 'removed' });
      return;
    }
    case 'create': {
      const { options: createOptions } =
        action.service === 'redis'
          ? redisCreateOptions(options)
          : poolCreateOptions(options, poolOf(spec, action.pool), action.number);
      const name = createOptions.name ?? '';
      progress(onProgress, stepOf(action.service), name, 'running', { message: 'creating' });
      if (action.service === 'worker') {
        const pool = poolOf(spec, action.pool);
        await writeSecretsOnce(
          options,
          options.poolHosts?.get(pool.name),
          poolImage(options, pool),
        );
      }
      const container = await createOrAdopt(docker, createOptions, spec.name);
      if (container) {
        if (action.service === 'redis') {
          await writeRunFiles(options, container);
          // Before its start, so the internal network's pools find it when they boot.
          if (usesInternalNetwork(spec)) await connectRedisToInternal(docker, spec, container.id);
        }
        await gate.before;
        const starting = startContainer(container, options, name, true);
        gate.startRequested?.(container.id);
        await starting;
      }
      progress(onProgress, stepOf(action.service), name, 'done', { message: 'started' });
      return;
    }
    case 'start': {
      await gate.before;
      progress(onProgress, stepOf(action.service), action.name, 'running', { message: 'starting' });
      const starting = startContainer(docker.getContainer(action.id), options, action.name);
      gate.startRequested?.(action.id);
      await starting;
      progress(onProgress, stepOf(action.service), action.name, 'done', { message: 'started' });
      return;
    }
  }
}

async function createInfra(
  options: Pick<ReconcileOptions, 'docker' | 'spec' | 'onProgress'>,
  action: InfraAction,
): Promise<void> {
  const { docker, spec, onProgress } = options;
  if (action.kind === 'create-network') {
    const name = networkName(spec.name);
    progress(onProgress, 'network', name, 'running', { message: 'creating' });
    await ignoreConflict(() =>
      docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: networkLabels(spec.name),
      }),
    );
    progress(onProgress, 'network', name, 'done', { message: 'created' });
    return;
  }
  const name = volumeName(spec.name, action.volume);
  progress(onProgress, 'volume', name, 'running', { message: 'creating' });
  await docker.createVolume({ Name: name, Labels: volumeLabels(spec.name, action.volume) });
  progress(onProgress, 'volume', name, 'done', { message: 'created' });
}

/** Seconds a container gets to stop: its pool's stop timeout (a removed pool's: the default). */
function stopTimeout(options: ReconcileOptions, action: { service: ServiceName; pool: string }) {
  if (action.service === 'redis') return 10;
  const pool = clusterPools(options.spec).find((p) => p.name === action.pool);
  return (pool?.spec ?? options.spec.workers).stopTimeoutSeconds;
}

/** Creates a container; when the name is taken by one of ours (a concurrent run), returns null. */
async function createOrAdopt(
  docker: Dockerode,
  createOptions: Dockerode.ContainerCreateOptions,
  cluster: string,
): Promise<Dockerode.Container | null> {
  try {
    return await docker.createContainer(createOptions);
  } catch (err) {
    if (!isNameConflict(err)) {
      throw classifyContainerError(err, {
        action: 'create',
        name: createOptions.name ?? '',
        image: createOptions.Image,
      });
    }
    const existing = await docker.getContainer(createOptions.name ?? '').inspect();
    if (existing.Config.Labels?.[LABEL.cluster] === cluster) return null;
    throw new GuildhallError(
      'engine-failed',
      `A container named ${createOptions.name} already exists and does not belong to this cluster.`,
      `Remove or rename it (docker rm -f ${createOptions.name}), or choose another cluster name.`,
    );
  }
}

/** Starts (or unpauses) a container; `created` skips asking the engine about one just made. */
async function startContainer(
  container: Dockerode.Container,
  options: ReconcileOptions,
  name: string,
  created = false,
): Promise<void> {
  try {
    const state = created ? null : (await container.inspect()).State;
    if (state?.Paused) await container.unpause();
    else if (!state?.Running) await container.start();
  } catch (err) {
    const message = (err as Error).message ?? '';
    if (/port is already allocated|address already in use/i.test(message)) {
      const port = options.spec.redis.port;
      const [holder, next] = await Promise.all([findPortHolder(port), nextFreePort(port)]);
      throw portInUseError({ port, holder: describePortHolder(holder), nextFreePort: next });
    }
    throw classifyContainerError(err, { action: 'start', name });
  }
}

async function ignoreConflict(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 409) throw err;
  }
}

export function portInUseError(
  status: Pick<PortStatus, 'port' | 'holder' | 'nextFreePort'>,
): GuildhallError {
  const { port, nextFreePort: next } = status;
  return new GuildhallError(
    'port-in-use',
    `Port ${port} on 127.0.0.1 is already in use ${heldBy(status)}.`,
    next
      ? `Use the next free port: guildhall up --redis-port ${next}`
      : 'Choose another port with --redis-port.',
    { port, nextFreePort: next, holder: status.holder },
  );
}
