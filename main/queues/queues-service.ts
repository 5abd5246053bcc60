/**
 * The queues core: sees and acts on the BullMQ queues, jobs and workers in a cluster's Redis,
 * for the console, tray and CLI. One ioredis connection serves every read (BullMQ Queue
 * objects share it and are cached per name); `close()` releases it.
 *
 *   const queues = new QueuesService({ connection: { host, port, password }, cluster: 'guildhall' });
 *   const overview = await queues.overview();
 *   await queues.close();
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { GuildhallError } from '../util/errors';
import { addJobToQueue } from './add-job';
import { readCeleryQueues, type WatchedCeleryQueue } from './celery-queues';
import { findJobsByName, getJobDetail, listJobEntries, listJobPage } from './job-reads';
import * as actions from './queue-actions';
import type { QueueActivitySource } from './queue-activity';
import { QueueDiscovery } from './queue-discovery';
import { isConnectionError, toQueuesError, type RedisEndpoint } from './queue-errors';
import {
  addJobInputSchema,
  cleanInputSchema,
  drainInputSchema,
  findJobsByNameInputSchema,
  jobRefInputSchema,
  listJobsInputSchema,
  metricsInputSchema,
  parseInput,
  queueRefInputSchema,
  type AddJobInput,
  type CleanInput,
  type DrainInput,
  type FindJobsByNameInput,
  type ListJobsInput,
  type MetricsInput,
} from './queue-inputs';
import {
  readQueueFacts,
  readQueueMetrics,
  toQueueSummary,
  type QueueFacts,
} from './queue-snapshot';
import type {
  AddJobResult,
  CeleryQueueView,
  CleanResult,
  DrainResult,
  JobActionResult,
  JobDetail,
  JobEntries,
  JobPage,
  JobSearchResult,
  JobStateName,
  PauseResult,
  QueueMetrics,
  QueuesOverview,
  QueueSummary,
  RedisHealth,
  RetryAllResult,
  WorkerView,
} from './queue-types';
import type { QueueToolkit } from './queue-toolkit';
import { redisHealthFromInfo } from './redis-info';
import { ioredisOptions, type RedisConnection } from '../cluster/redis-connection';
import { joinWorkers, readHeartbeats } from './worker-views';

export interface QueuesServiceOptions {
  /** Where Redis is (ClusterService.redisConnection decides it; ACL user and TLS included). */
  connection: Omit<RedisConnection, 'external'> & { external?: boolean };
  /** The cluster name; heartbeat and registry keys are namespaced by it. */
  cluster: string;
  /** BullMQ key prefix. */
  prefix?: string;
  /** Milliseconds before a Redis command is given up (default 15 s). */
  commandTimeoutMs?: number;
  /** Clock, for the per-minute metrics. */
  now?: () => number;
  /** The Celery queues the custom pools watch, asked at each read (default: none). */
  celeryWatch?: () => readonly WatchedCeleryQueue[];
}

export class QueuesService {
  readonly cluster: string;
  readonly prefix: string;
  private readonly redis: Redis;
  private readonly endpoint: RedisEndpoint;
  private readonly discovery: QueueDiscovery;
  private readonly queues = new Map<string, Queue>();
  private readonly now: () => number;
  private readonly celeryWatch: () => readonly WatchedCeleryQueue[];
  private closed = false;
  private readonly activityConnections = new Set<Redis>();
  private lastConnectionError: string | undefined;

  constructor(options: QueuesServiceOptions) {
    const { host, port, password } = options.connection;
    this.cluster = options.cluster;
    this.prefix = options.prefix ?? 'bull';
    this.now = options.now ?? Date.now;
    this.celeryWatch = options.celeryWatch ?? (() => []);
    this.endpoint = { host, port, password, external: options.connection.external };
    this.redis = new Redis({
      ...ioredisOptions(options.connection),
      lazyConnect: true,
      connectTimeout: 3_000,
      commandTimeout: options.commandTimeoutMs ?? 15_000,
      // Fail a read quickly when Redis is down instead of queueing it for minutes.
      maxRetriesPerRequest: 2,
      retryStrategy: (times) => Math.min(times * 200, 2_000),
      connectionName: `guildhall:${this.cluster}:queues`,
    });
    // Errors surface on the command that failed; the listener keeps ioredis from printing them
    // and remembers the cause for the error message.
    this.redis.on('error', (err: Error) => {
      this.lastConnectionError = err.message;
    });
    this.redis.on('ready', () => {
      this.lastConnectionError = undefined;
    });
    this.discovery = new QueueDiscovery(this.redis, this.cluster, this.prefix);
  }

  /* ---------- queues ---------- */

  /** Names of the known queues (built-ins, registry, last discovery pass). No SCAN after the first call. */
  knownQueues(): Promise<string[]> {
    return this.guard('list queues', () => this.discovery.knownQueues());
  }

  /**
   * What followQueueActivity reads: the known queues' event streams, on connections of its own
   * that close() also closes (a replaced cluster's follower stops at once).
   */
  activitySource(): QueueActivitySource {
    return {
      knownQueues: () => this.knownQueues(),
      openConnection: () => {
        const connection = this.redis.duplicate({
          connectionName: `guildhall:${this.cluster}:activity`,
        });
        this.activityConnections.add(connection);
        connection.once('end', () => this.activityConnections.delete(connection));
        return connection;
      },
      eventsKey: (queue) => `${this.prefix}:${queue}:events`,
      isClosed: () => this.closed,
    };
  }

  /** Runs the SCAN discovery pass again (explicit refresh only) and returns the known queues. */
  refreshQueues(): Promise<string[]> {
    return this.guard('discover queues', async () => {
      await this.discovery.refresh();
      return this.discovery.knownQueues();
    });
  }

  listQueues(): Promise<QueueSummary[]> {
    return this.guard('list queues', async () => (await this.snapshot()).queues);
  }

  getQueue(queue: string): Promise<QueueSummary> {
    return this.guard(`read queue "${queue}"`, async () => {
      const { queue: name } = parseInput(queueRefInputSchema, { queue }, 'queue');
      const q = await this.existingQueue(name);
      const [facts, heartbeats] = await Promise.all([
        readQueueFacts(q, this.now()),
        readHeartbeats(this.redis, this.cluster),
      ]);
      const workers = joinWorkers(new Map([[name, facts.clients]]), heartbeats);
      return toQueueSummary(facts, workers, this.discovery.isBuiltin(name));
    });
  }

  getMetrics(input: MetricsInput): Promise<QueueMetrics> {
    return this.guard(`read metrics of queue "${String(input?.queue)}"`, async () => {
      const { queue, minutes } = parseInput(metricsInputSchema, input, 'metrics request');
      return readQueueMetrics(await this.existingQueue(queue), this.now(), minutes);
    });
  }

  /** Every worker BullMQ sees on a known queue or that has a live heartbeat. */
  listWorkers(): Promise<WorkerView[]> {
    return this.guard('list workers', async () => (await this.snapshot()).workers);
  }

  redisHealth(): Promise<RedisHealth> {
    return this.guard('read Redis health', async () =>
      redisHealthFromInfo(await this.redis.info()),
    );
  }

  /** The watched Celery queues' waiting counts (celery-queues.ts), in one round trip. */
  celeryQueues(): Promise<CeleryQueueView[]> {
    return this.guard('read the watched Celery queues', () =>
      readCeleryQueues(this.redis, this.celeryWatch()),
    );
  }

  /** Queues, workers, watched Celery queues and Redis health in one pass (no SCAN): a console tick. */
  overview(): Promise<QueuesOverview> {
    return this.guard('read the cluster overview', async () => {
      const [snapshot, info, celery] = await Promise.all([
        this.snapshot(),
        this.redis.info(),
        readCeleryQueues(this.redis, this.celeryWatch()),
      ]);
      return { at: this.now(), ...snapshot, redis: redisHealthFromInfo(info), celery };
    });
  }

  /* ---------- jobs ---------- */

  listJobs(input: ListJobsInput): Promise<JobPage> {
    return this.guard(`list jobs of queue "${String(input?.queue)}"`, async () => {
      const request = parseInput(listJobsInputSchema, input, 'job list request');
      return listJobPage(await this.existingQueue(request.queue), request);
    });
  }

  /** Jobs with their return values (for scripts): one state, or by default the latest of all. */
  listJobEntries(input: {
    queue: string;
    state?: JobStateName | 'any';
    count?: number;
  }): Promise<JobEntries> {
    return this.guard(`list jobs of queue "${String(input?.queue)}"`, async () => {
      const { state = 'any', ...rest } = input;
      const request = parseInput(
        listJobsInputSchema,
        { ...rest, ...(state === 'any' ? {} : { state }) },
        'job list request',
      );
      const queue = await this.existingQueue(request.queue);
      return listJobEntries(queue, { state, count: request.count });
    });
  }

  /** Jobs of a state with the given name, among at most FIND_BY_NAME_SCAN_LIMIT jobs of that state. */
  findJobsByName(input: FindJobsByNameInput): Promise<JobSearchResult> {
    return this.guard(`search jobs of queue "${String(input?.queue)}"`, async () => {
      const request = parseInput(findJobsByNameInputSchema, input, 'job search');
      return findJobsByName(await this.existingQueue(request.queue), this.redis, request);
    });
  }

  getJob(queue: string, id: string): Promise<JobDetail> {
    return this.guard(`read job "${id}" of queue "${queue}"`, async () => {
      const ref = parseInput(jobRefInputSchema, { queue, id }, 'job reference');
      return getJobDetail(await this.existingQueue(ref.queue), this.redis, ref.id);
    });
  }

  /* ---------- actions ---------- */

  /** Adds a job; adding to a queue that does not exist yet creates it (`newQueue: true`). */
  addJob(input: AddJobInput): Promise<AddJobResult> {
    return this.guard(`add a job to queue "${String(input?.queue)}"`, async () => {
      const parsed = parseInput(addJobInputSchema, input, 'job');
      const newQueue = !(await this.discovery.exists(parsed.queue));
      const result = await addJobToQueue(
        this.queueObject(parsed.queue),
        this.redis,
        parsed,
        newQueue,
      );
      await this.discovery.register(parsed.queue);
      return result;
    });
  }

  retryJob(queue: string, id: string): Promise<JobActionResult> {
    return this.jobAction('retry', queue, id, actions.retryJob);
  }

  removeJob(queue: string, id: string): Promise<JobActionResult> {
    return this.jobAction('remove', queue, id, actions.removeJob);
  }

  promoteJob(queue: string, id: string): Promise<JobActionResult> {
    return this.jobAction('promote', queue, id, actions.promoteJob);
  }

  retryAllFailed(queue: string): Promise<RetryAllResult> {
    return this.queueAction(`retry failed jobs of queue "${queue}"`, queue, actions.retryAllFailed);
  }

  pauseQueue(queue: string): Promise<PauseResult> {
    return this.queueAction(`pause queue "${queue}"`, queue, actions.pauseQueue);
  }

  resumeQueue(queue: string): Promise<PauseResult> {
    return this.queueAction(`resume queue "${queue}"`, queue, actions.resumeQueue);
  }

  cleanQueue(input: CleanInput): Promise<CleanResult> {
    return this.guard(`clean queue "${String(input?.queue)}"`, async () => {
      const { queue, state, graceMs, limit } = parseInput(cleanInputSchema, input, 'clean request');
      return actions.cleanQueue(await this.existingQueue(queue), state, graceMs, limit);
    });
  }

  drainQueue(input: DrainInput): Promise<DrainResult> {
    return this.guard(`drain queue "${String(input?.queue)}"`, async () => {
      const { queue, includeDelayed } = parseInput(drainInputSchema, input, 'drain request');
      return actions.drainQueue(await this.existingQueue(queue), includeDelayed);
    });
  }

  /** This service's connection, queues and checks, for the features in files of their own. */
  toolkit(): QueueToolkit {
    return {
      redis: this.redis,
      cluster: this.cluster,
      prefix: this.prefix,
      now: () => this.now(),
      existingQueue: (name) => this.existingQueue(name),
      queueObject: (name) => this.queueObject(name),
      register: (name) => this.discovery.register(name),
      knownQueues: () => this.discovery.knownQueues(),
      guard: (action, run) => this.guard(action, run),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const connection of this.activityConnections) connection.disconnect();
    this.activityConnections.clear();
    await this.dropQueues();
    if (this.redis.status === 'ready') {
      await this.redis.quit().catch(() => this.redis.disconnect());
    } else {
      this.redis.disconnect();
    }
  }

  /* ---------- internals ---------- */

  private async snapshot(): Promise<{ queues: QueueSummary[]; workers: WorkerView[] }> {
    const names = await this.discovery.knownQueues();
    const now = this.now();
    const [facts, heartbeats] = await Promise.all([
      Promise.all(names.map((name) => readQueueFacts(this.queueObject(name), now))),
      readHeartbeats(this.redis, this.cluster),
    ]);
    const workers = joinWorkers(
      new Map(facts.map((f: QueueFacts) => [f.name, f.clients])),
      heartbeats,
    );
    const queues = facts.map((f) => toQueueSummary(f, workers, this.discovery.isBuiltin(f.name)));
    return { queues, workers };
  }

  private jobAction(
    verb: string,
    queue: string,
    id: string,
    act: (q: Queue, id: string) => Promise<JobActionResult>,
  ): Promise<JobActionResult> {
    return this.guard(`${verb} job "${id}" of queue "${queue}"`, async () => {
      const ref = parseInput(jobRefInputSchema, { queue, id }, 'job reference');
      return act(await this.existingQueue(ref.queue), ref.id);
    });
  }

  private queueAction<T>(what: string, queue: string, act: (q: Queue) => Promise<T>): Promise<T> {
    return this.guard(what, async () => {
      const ref = parseInput(queueRefInputSchema, { queue }, 'queue');
      return act(await this.existingQueue(ref.queue));
    });
  }

  /** The cached Queue for a name that must exist; unknown names get 'not-found' listing known ones. */
  private async existingQueue(name: string): Promise<Queue> {
    if (!(await this.discovery.exists(name))) {
      const known = await this.discovery.knownQueues();
      throw new GuildhallError(
        'not-found',
        `There is no queue named "${name}" in cluster "${this.cluster}".`,
        `Known queues: ${known.join(', ') || '(none)'}. Queue names are case-sensitive.`,
        { known },
      );
    }
    return this.queueObject(name);
  }

  private queueObject(name: string): Queue {
    if (this.closed)
      throw new GuildhallError(
        'internal',
        'The queues service is closed.',
        'Create a new QueuesService.',
      );
    let queue = this.queues.get(name);
    if (!queue) {
      // skipMetasUpdate: merely looking at a queue must not write to it (or create it).
      queue = new Queue(name, {
        connection: this.redis,
        prefix: this.prefix,
        skipMetasUpdate: true,
      });
      queue.on('error', () => {});
      this.queues.set(name, queue);
    }
    return queue;
  }

  private async dropQueues(): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(queues.map((queue) => queue.close().catch(() => {})));
  }

  /** Runs an operation, mapping failures to GuildhallError (password redacted). */
  private async guard<T>(action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      // A Queue whose connection failed during setup stays broken; rebuild them next time.
      if (isConnectionError(err)) void this.dropQueues();
      throw toQueuesError(err, this.endpoint, action, this.lastConnectionError);
    }
  }
}
