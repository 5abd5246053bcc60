/**
 * The worker's life: one BullMQ Worker per queue, a heartbeat, a watch on the user's processor
 * files, and a graceful stop. Resolves with the process exit code.
 *
 * Processor files changing is handled by exiting (WORKER_EXIT_CODES.reload, the reload recorded
 * in Redis first) once active jobs are finished, not by
 * reloading in place: Node caches imported modules (and BullMQ keeps sandbox children alive with
 * the old code loaded), so a clean process is the only reliable way to run the new code. The
 * container's restart policy (unless-stopped) starts it again. Workers exit one after another,
 * each once the previous one is back (rolling-restart.ts), so the cluster keeps serving.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { MetricsTime, type Job, type Processor, type Worker, type WorkerOptions } from 'bullmq';
import { Redis } from 'ioredis';
import {
  LOCK_DURATION_MS,
  MAX_STALLED_COUNT,
  STALLED_INTERVAL_MS,
  WORKER_EXIT_CODES,
  parseQueueEntry,
} from '../../../main/shared/worker-contract';
import { isRedisAuthError } from '../../../main/shared/redis-auth';
import { listenForCancels } from './cancel-listener';
import { CancellableWorker } from './cancellable-worker';
import { redisAddress, redisConnection, type WorkerConfig } from './config';
import { HeartbeatPublisher } from './heartbeat';
import { JobLogStream, type LogQueue } from './job-log';
import { createThrottledErrorLog, errorMessage, log, registerSecret } from './log';
import { killAllProcessGroups } from './process-tree';
import { watchProcessorFiles, type ProcessorWatcher } from './processor-watcher';
import { recordReload } from './reload-record';
import { latestModification, previousWorkerName, waitForPreviousWorker } from './rolling-restart';
import { BUILTIN_PROCESSORS, type BuiltinProcessorEntry } from './processors/index';
import { planQueues, type QueueHandler } from './queue-plan';
import { UNREACHABLE_WARN_AFTER_MS, isUnreachable, reconnectDelay } from './redis-retry';
import { SANDBOX_CHILD_ENV } from './sandbox-child';
import { secretEnv } from './secret-env';
import { WORKER_VERSION } from './version';
import { WorkerStats } from './worker-stats';

export async function runWorker(config: WorkerConfig): Promise<number> {
  registerSecret(config.redis.password);
  secretEnv(); // the pool's secrets, registered with the log before any job runs
  const plan = planQueues(config.queues, config.processorsDir, config.shell);
  for (const warning of plan.warnings) log.warn(warning);
  const queues = plan.handlers.map((handler) => handler.queue);

  let resolveExit!: (code: number) => void;
  const exitCode = new Promise<number>((resolve) => {
    resolveExit = resolve;
  });
  const logRedisError = createThrottledErrorLog();
  const stats = new WorkerStats();

  // Until Redis has answered once, being unable to reach it is expected (it may be starting
  // alongside this worker): say so once, and keep it out of the error shown for this worker.
  let reachedRedis = false;
  let toldWaiting = false;
  const startedAt = Date.now();
  const onRedisError = (source: string, err: unknown) => {
    const message = errorMessage(err);
    if (
      !reachedRedis &&
      isUnreachable(message) &&
      Date.now() - startedAt < UNREACHABLE_WARN_AFTER_MS
    ) {
      if (!toldWaiting) log.info(`waiting for Redis at ${redisAddress(config.redis)}`);
      toldWaiting = true;
      return;
    }
    if (isRedisAuthError(message)) {
      log.error(
        `Redis at ${redisAddress(config.redis)} rejected the password from ` +
          `${config.redis.passwordFile}; the worker cannot run (run \`guildhall up\`, which ` +
          'writes the current password, then the worker restarts with it)',
      );
      killAllProcessGroups();
      resolveExit(WORKER_EXIT_CODES.badConfig);
      return;
    }
    stats.workerError(`${source}: ${message}`);
    logRedisError(`${source}: ${message}`);
  };

  const heartbeatRedis = new Redis({
    ...redisConnection(config.redis),
    maxRetriesPerRequest: 1,
    retryStrategy: reconnectDelay,
  });
  heartbeatRedis.on('error', (err: unknown) => onRedisError('heartbeat connection', err));
  const heartbeat = new HeartbeatPublisher(
    heartbeatRedis,
    { cluster: config.cluster, name: config.workerName, queues, concurrency: config.concurrency },
    stats,
  );
  heartbeat.start();
  // The first write fails if Redis was not up yet; publish as soon as the connection is.
  heartbeatRedis.on('ready', () => {
    reachedRedis = true;
    void heartbeat.publish();
  });

  log.info(
    `guildhall worker ${WORKER_VERSION} "${config.workerName}" (cluster ${config.cluster}) ` +
      `consuming ${plan.handlers.map(describeHandler).join(', ')} with concurrency ` +
      `${config.concurrency} from Redis at ${redisAddress(config.redis)}`,
  );

  const workers = plan.handlers.map((handler) => {
    const worker = createQueueWorker(handler, config);
    worker.on('error', (err) => onRedisError(`queue ${handler.queue}`, err));
    worker.on('active', (job: Job) => {
      stats.jobStarted(handler.queue, job.id ?? '');
      heartbeat.jobChanged();
    });
    worker.on('completed', (job: Job) => {
      stats.jobCompleted(handler.queue, job.id ?? '');
      heartbeat.jobChanged();
    });
    worker.on('failed', (job: Job | undefined, err: Error) => {
      stats.jobFailed(handler.queue, job?.id, err.message);
      log.warn(`job ${handler.queue}#${job?.id ?? '?'} failed: ${err.message}`);
      heartbeat.jobChanged();
    });
    return worker;
  });
  const cancelSubscriber = heartbeatRedis.duplicate();
  cancelSubscriber.on('error', () => undefined); // the heartbeat connection reports Redis trouble
  const cancels = listenForCancels(
    cancelSubscriber,
    config.cluster,
    new Map(workers.map((worker) => [worker.name, worker])),
  );

  let watcher: ProcessorWatcher | undefined;
  let stopping = false;
  let forceRequested!: () => void;
  const forced = new Promise<void>((resolve) => {
    forceRequested = resolve;
  });

  /** `reload`: a planned exit to load changed processor files, recorded before it happens. */
  const shutdown = async (reason: string, reload = false): Promise<void> => {
    if (stopping) return;
    stopping = true;
    watcher?.close();
    cancels.close();
    heartbeat.setState('stopping');
    const active = stats.activeJobs.length;
    log.info(
      `${reason}: finishing ${active} active job${active === 1 ? '' : 's'} ` +
        `(up to ${config.shutdownGraceMs} ms), then exiting`,
    );
    const closed = Promise.allSettled(workers.map((worker) => worker.close())).then(() => true);
    let wasForced = false;
    void forced.then(() => (wasForced = true));
    const closedWithin = (ms: number) =>
      Promise.race([closed, delay(ms).then(() => false), forced.then(() => false)]);
    // With no job to finish, closing only waits for Redis, which may be gone (stopped, crashed):
    // the grace is for jobs, so an idle worker does not sit out all of it, unless a job it
    // fetched as the signal came has started meanwhile.
    const signalledAt = Date.now();
    let inTime = await closedWithin(
      active === 0 ? Math.min(IDLE_CLOSE_WAIT_MS, config.shutdownGraceMs) : config.shutdownGraceMs,
    );
    if (!inTime && !wasForced && stats.activeJobs.length > 0) {
      inTime = await closedWithin(config.shutdownGraceMs - (Date.now() - signalledAt));
    }
    if (!inTime && stats.activeJobs.length > 0) {
      log.warn(
        `stopping without waiting for ${stats.activeJobs.length} active job(s); BullMQ's ` +
          'stalled-job check returns them to their queues once their locks expire',
      );
    } else if (!inTime) {
      log.warn('stopping without closing the Redis connections cleanly (Redis did not answer)');
    }
    const recorded =
      reload &&
      heartbeatRedis.status === 'ready' &&
      (await recordReload(heartbeatRedis, config.cluster, config.workerName));
    if (reload && !recorded) log.warn('could not record this reload in Redis');
    if (heartbeatRedis.status === 'ready') {
      await Promise.race([heartbeat.stop(), delay(2_000)]);
      await Promise.race([heartbeatRedis.quit().catch(() => undefined), delay(1_000)]);
    } else {
      heartbeat.halt(); // its key expires with its TTL
      heartbeatRedis.disconnect();
    }
    killAllProcessGroups();
    log.info(reload ? 'worker exiting to reload' : 'worker stopped');
    resolveExit(reload ? WORKER_EXIT_CODES.reload : WORKER_EXIT_CODES.ok);
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn(`${signal} again: stopping now`);
      forceRequested();
      return;
    }
    void shutdown(`received ${signal}`);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  if (config.processorsDir !== null) {
    // Files matter by processor name: a queue bound to a processor file reloads with that file.
    const consumed = new Set(config.queues.map((entry) => parseQueueEntry(entry).processor));
    const processorsDir = config.processorsDir;
    watcher = watchProcessorFiles({
      dir: processorsDir,
      isRelevant: plan.allQueues ? () => true : (queue) => consumed.has(queue),
      onChange: () => {
        const reason = `processor files in ${processorsDir} changed; restarting to load them`;
        if (previousWorkerName(config.workerName, config.cluster, config.pool) === null)
          return void shutdown(reason, true);
        log.info(
          'processor files changed; restarting once the previous worker is back (rolling restart)',
        );
        void waitForPreviousWorker({
          redis: heartbeatRedis,
          cluster: config.cluster,
          name: config.workerName,
          pool: config.pool,
          changedAt: latestModification(processorsDir),
        }).then((outcome) => {
          log.info(`rolling restart: ${outcome}`);
          void shutdown(reason, true);
        });
      },
    });
  }

  void Promise.all(workers.map((worker) => worker.waitUntilReady())).then(
    () => {
      if (stopping) return;
      heartbeat.setState('running');
      log.info(`ready: waiting for jobs on ${queues.join(', ')}`);
    },
    (err: unknown) => onRedisError('startup', err),
  );

  return exitCode;
}

function describeHandler(handler: QueueHandler): string {
  return handler.kind === 'file' ? `${handler.queue} (${handler.file})` : handler.queue;
}

/** How long an idle worker waits for its connections to close on shutdown. */
const IDLE_CLOSE_WAIT_MS = 1_000;

function createQueueWorker(handler: QueueHandler, config: WorkerConfig): Worker {
  const options: WorkerOptions = {
    name: config.workerName,
    concurrency: config.concurrency,
    connection: {
      ...redisConnection(config.redis),
      maxRetriesPerRequest: null,
      retryStrategy: reconnectDelay,
    },
    metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
    stalledInterval: STALLED_INTERVAL_MS,
    lockDuration: LOCK_DURATION_MS,
    maxStalledCount: MAX_STALLED_COUNT,
  };
  if (handler.kind === 'file') {
    return new CancellableWorker(handler.queue, handler.file, {
      ...options,
      useWorkerThreads: false,
      workerForkOptions: { env: { ...process.env, ...secretEnv(), [SANDBOX_CHILD_ENV]: '1' } },
    });
  }
  const worker: Worker = new CancellableWorker(
    handler.queue,
    builtinProcessor(BUILTIN_PROCESSORS[handler.builtin], () => worker),
    options,
  );
  return worker;
}

/**
 * BullMQ's processor for a built-in. BullMQ makes a cancellation signal (an AbortController per
 * job) only for a processor declaring a third parameter, so one whose built-in uses no context
 * declares just the job.
 */
export function builtinProcessor(
  builtin: BuiltinProcessorEntry,
  logQueue: () => LogQueue,
): Processor {
  if (!builtin.usesContext) {
    return (job) => builtin.run(job, { signal: undefined, logLine: ignoreLogLine });
  }
  return async (job, _token, signal) => {
    let jobLog: JobLogStream | undefined;
    const logLine = (line: string) => {
      jobLog ??= new JobLogStream(logQueue(), job.id ?? '');
      jobLog.write(line);
    };
    try {
      return await builtin.run(job, { signal, logLine });
    } finally {
      await jobLog?.close();
    }
  };
}

function ignoreLogLine(): void {}
