/**
 * The typed API contract every face shares: each procedure's input and output as zod schemas,
 * its typed errors ({ code, message, hint } as error data) and its event streams. The server
 * implements it (main/api/router.ts); the renderer's client type derives from it. This file and
 * main/shared/schemas/ are type-checked for the browser too (tsconfig.web.json), so they import
 * only zod and @orpc/contract — never a core module. main/api/contract-checks.ts fails the
 * typecheck (part of `npm test`) when the mirrored shapes drift from the core's types.
 */
import { eventIterator, oc } from '@orpc/contract';
import type {
  ContractRouterClient,
  InferContractRouterInputs,
  InferContractRouterOutputs,
} from '@orpc/contract';
import { z } from 'zod';
import { POOL_NAME_PATTERN } from './spec-limits';
import {
  clusterStatusSchema,
  engineInfoSchema,
  engineProbeSchema,
  imagesResultSchema,
  int,
  operationIdSchema,
  progressEventSchema,
} from './schemas/cluster';
import { apiErrorMap } from './schemas/errors';
import {
  apiEventSchema,
  logLineSchema,
  logTargetSchema,
  subscribeInputSchema,
} from './schemas/events';
import {
  addJobInputSchema,
  addJobResultSchema,
  cleanInputSchema,
  cleanResultSchema,
  drainInputSchema,
  drainResultSchema,
  findByIdInputSchema,
  findByIdResultSchema,
  findByNameInputSchema,
  jobActionResultSchema,
  jobDetailSchema,
  jobPageSchema,
  jobRefInputSchema,
  jobSearchResultSchema,
  listJobsInputSchema,
  metricsInputSchema,
  pauseResultSchema,
  queueCountsSchema,
  queueMetricsSchema,
  queueRefInputSchema,
  queuesOverviewSchema,
  queueSummarySchema,
  retryAllResultSchema,
  workerViewSchema,
} from './schemas/queues';
import { metricsHistoryInputSchema, metricsHistorySchema } from './schemas/metrics';
import { historyInputSchema, historySchema } from './schemas/history';
import { apiSettingsSchema, settingsPatchSchema, settingsReadSchema } from './schemas/settings';
import * as controls from './schemas/controls';
import * as diag from './schemas/diagnostics';
import * as flows from './schemas/flows';
import * as schedules from './schemas/schedules';
import * as search from './schemas/search';
import * as setup from './schemas/setup';
import * as audit from './schemas/audit';
import * as alerts from './schemas/alerts';
import * as alertsConfig from './schemas/alerts-config';
import * as secrets from './schemas/secrets';
import * as supervisor from './schemas/supervisor';
import * as exports from './schemas/export';

const base = oc.errors(apiErrorMap);

const operationId = operationIdSchema.optional();
/** Container N of a pool (`pool` left out: the default pool `worker`). */
const workerNumber = z.strictObject({
  number: int.min(1).max(64),
  pool: z.string().regex(POOL_NAME_PATTERN).optional(),
});

export const apiContract = {
  app: {
    info: base.output(
      z.object({
        version: z.string(),
        transport: z.enum(['ipc', 'websocket', 'http', 'in-process']),
      }),
    ),
    /** Whether the console should open the setup wizard (first launch). */
    firstLaunch: base.output(diag.firstLaunchSchema),
    log: {
      /** The last lines of the app's own log, redacted. */
      tail: base.input(diag.appLogTailInputSchema).output(diag.appLogTailSchema),
      path: base.output(diag.appLogPathSchema),
    },
    /**
     * Browser console only: a new access token; the old one stops working and open consoles
     * are disconnected. Returns the console's new URL (token included).
     */
    rotateConsoleToken: base.output(z.object({ url: z.string() })),
    /** Opens a file of the app's folder with the system (Electron only). */
    openPath: base.input(diag.openPathInputSchema).output(z.object({ opened: z.boolean() })),
  },
  cluster: {
    status: base.output(clusterStatusSchema),
    /** Creates or updates the cluster; progress goes to the event stream under `operationId`. */
    up: base
      .input(
        z
          .strictObject({
            workers: int.min(0).max(64).optional(),
            redisPort: int.min(1).max(65535).optional(),
            waitForWorkers: z.boolean().optional(),
            operationId,
          })
          .optional(),
      )
      .output(clusterStatusSchema),
    down: base
      .input(z.strictObject({ volumes: z.boolean().optional(), operationId }).optional())
      .output(clusterStatusSchema),
    /** Scales one pool: `pool` (the default pool `worker` when left out). */
    scale: base
      .input(
        z.strictObject({
          replicas: int.min(0).max(64),
          pool: z.string().regex(POOL_NAME_PATTERN).optional(),
          operationId,
        }),
      )
      .output(clusterStatusSchema),
    /** Restarts (or starts) container N of a pool: `<cluster>-<pool>-<n>`. */
    restartWorker: base.input(workerNumber).output(clusterStatusSchema),
    stopWorker: base.input(workerNumber).output(clusterStatusSchema),
  },
  engine: {
    info: base.output(engineInfoSchema),
    discover: base.output(z.array(engineProbeSchema)),
  },
  images: {
    /** Pulls Redis and builds the worker image when missing, streaming progress; returns both refs. */
    ensure: base
      .input(z.strictObject({ operationId }).optional())
      .output(eventIterator(progressEventSchema, imagesResultSchema)),
    /** Builds one pool's image (when it needs one); progress on the event stream under `operationId`. */
    buildPool: base
      .input(z.strictObject({ pool: z.string().regex(POOL_NAME_PATTERN), operationId }))
      .output(z.object({ pool: z.string(), image: z.string() })),
  },
  queues: {
    list: base.output(z.array(queueSummarySchema)),
    overview: base.output(queuesOverviewSchema),
    workers: base.output(z.array(workerViewSchema)),
    counts: base.input(queueRefInputSchema).output(queueCountsSchema),
    metrics: base.input(metricsInputSchema).output(queueMetricsSchema),
    jobs: base.input(listJobsInputSchema).output(jobPageSchema),
    job: base.input(jobRefInputSchema).output(jobDetailSchema),
    /** A job by id in the given queue, or in every known queue. */
    findById: base.input(findByIdInputSchema).output(findByIdResultSchema),
    findByName: base.input(findByNameInputSchema).output(jobSearchResultSchema),
    add: base.input(addJobInputSchema).output(addJobResultSchema),
    retry: base.input(jobRefInputSchema).output(jobActionResultSchema),
    remove: base.input(jobRefInputSchema).output(jobActionResultSchema),
    promote: base.input(jobRefInputSchema).output(jobActionResultSchema),
    retryAll: base.input(queueRefInputSchema).output(retryAllResultSchema),
    pause: base.input(queueRefInputSchema).output(pauseResultSchema),
    resume: base.input(queueRefInputSchema).output(pauseResultSchema),
    clean: base.input(cleanInputSchema).output(cleanResultSchema),
    drain: base.input(drainInputSchema).output(drainResultSchema),
  },
  /** Job controls: cancel a running job; a queue's global concurrency and rate limit. */
  controls: {
    /** Aborts a running job in its worker and waits until it has stopped (failed "cancelled by user"). */
    cancel: base.input(jobRefInputSchema).output(controls.cancelJobResultSchema),
    limits: base.output(z.array(controls.queueLimitsSchema)),
    /** `null` removes a limit, a missing field leaves it as it is. */
    setLimits: base.input(controls.setLimitsInputSchema).output(controls.queueLimitsSchema),
    /**
     * One page of jobs whose data holds a substring or has a JSON path equal to a value, in one
     * queue and state; continue from `cursor`. Each call stops within its time budget.
     */
    search: base.input(search.searchJobsInputSchema).output(search.jobSearchPageSchema),
  },
  /** BullMQ job schedulers: cron (with time zone) or every N ms; paused ones kept aside. */
  schedules: {
    list: base.output(z.array(schedules.scheduleViewSchema)),
    /** The next five run times of a cron or interval, checked as save checks it. */
    preview: base.input(schedules.previewInputSchema).output(schedules.previewResultSchema),
    /** Creates or replaces a schedule (a paused one stays paused). */
    save: base.input(schedules.scheduleInputSchema).output(schedules.scheduleViewSchema),
    remove: base.input(schedules.scheduleRefSchema).output(schedules.scheduleRemovedSchema),
    pause: base.input(schedules.scheduleRefSchema).output(schedules.scheduleViewSchema),
    resume: base.input(schedules.scheduleRefSchema).output(schedules.scheduleViewSchema),
  },
  /** Flows: trees of jobs across queues (BullMQ FlowProducer); children run before their parent. */
  flows: {
    /** The latest flows added through Guildhall, newest first. */
    list: base.output(z.array(flows.flowSummarySchema)),
    /** Adds a flow atomically (every job or none) and returns its tree. */
    add: base.input(flows.flowNodeInputSchema).output(flows.flowNodeViewSchema),
    /** Checks a flow without adding it (live validation); never fails on a bad flow. */
    check: base.input(z.strictObject({ flow: z.unknown() })).output(flows.flowCheckSchema),
    /** The whole tree a job belongs to, from its root. */
    tree: base.input(jobRefInputSchema).output(flows.flowNodeViewSchema),
    /** The root of the flow a job belongs to, or null when it is in none. */
    locate: base.input(jobRefInputSchema).output(flows.flowRootSchema),
  },
  logs: {
    /** The last lines of a container's output (`redis` or `POOL-N`, e.g. `worker-2`). */
    tail: base
      .input(z.strictObject({ target: logTargetSchema, lines: int.min(1).max(5_000).optional() }))
      .output(z.object({ target: z.string(), lines: z.array(logLineSchema) })),
    /** The last `tail` lines, then new lines as the container writes them. */
    stream: base
      .input(z.strictObject({ target: logTargetSchema, tail: int.min(0).max(5_000).optional() }))
      .output(eventIterator(logLineSchema)),
  },
  metrics: {
    /** Kept host, container and throughput points (about five minutes), oldest first. */
    history: base.input(metricsHistoryInputSchema).output(metricsHistorySchema),
    /** The kept history on disk over a span (15 min to 24 h): host, cluster, pools, queues. */
    range: base.input(historyInputSchema).output(historySchema),
  },
  diagnostics: {
    run: base.input(diag.diagnosticsRunInputSchema).output(diag.diagnosticsRunResultSchema),
    /** Runs a fix (progress on the event stream under `operationId`), then its check again. */
    fix: base.input(diag.diagnosticsFixInputSchema).output(diag.diagnosticsFixResultSchema),
    mute: base
      .input(diag.diagnosticsMuteInputSchema)
      .output(z.object({ muted: z.array(z.string()) })),
    /** Writes a support bundle into the app's folder; the browser console downloads it. */
    bundle: base.output(diag.supportBundleSchema),
  },
  setup: {
    host: base.output(setup.hostResourcesSchema),
    checkPort: base.input(setup.checkPortInputSchema).output(setup.portCheckSchema),
    /** Probes an engine address and pins it in settings when an engine answers there. */
    pinEngine: base.input(setup.pinEngineInputSchema).output(setup.pinEngineResultSchema),
    /** Adds an `echo` job and waits until a worker completed it. */
    smokeTest: base.input(setup.smokeTestInputSchema).output(setup.smokeTestResultSchema),
    connection: base.input(setup.connectionInputSchema).output(setup.connectionSchema),
    /** Marks setup as completed (settings.app.setupCompleted). */
    complete: base.output(z.object({ setupCompleted: z.boolean() })),
  },
  settings: {
    get: base.output(settingsReadSchema),
    /** Merges a partial update, validates the result with the settings schema and saves it. */
    update: base.input(settingsPatchSchema).output(apiSettingsSchema),
  },
  secrets: {
    /** The user's secrets: names, whether stored, the pools naming each. Never values. */
    list: base.output(secrets.secretListSchema),
    /** Stores (or replaces) a secret's value; pools get it from the next `up`. */
    set: base.input(secrets.secretSetInputSchema).output(secrets.secretListSchema),
    remove: base.input(secrets.secretRemoveInputSchema).output(secrets.secretListSchema),
  },
  export: {
    /** The files `guildhall export <kind>` writes, secrets' values left out (issue 18). */
    preview: base.input(exports.exportPreviewInputSchema).output(exports.exportPreviewSchema),
  },
  audit: {
    /** Entries of the audit log, newest first, filtered by face, action, target and time. */
    list: base.input(audit.auditListInputSchema).output(audit.auditListSchema),
    /** Follows the audit log's hash chain; says where it breaks. */
    verify: base.output(audit.auditVerifySchema),
  },
  alerts: {
    /** Alerts active now and recently resolved, and each webhook's last delivery. */
    list: base.output(alerts.alertsViewSchema),
    /** Sends a test message to every webhook (or the one named); each outcome is recorded. */
    test: base.input(alerts.alertsTestInputSchema).output(alerts.alertsTestResultSchema),
    /** The spec's alerts block as the console edits it; webhook URLs never come back. */
    config: base.output(alertsConfig.alertsConfigSchema),
    /** Replaces the alerts block (rules and webhooks); new webhook URLs go to the secret store. */
    save: base.input(alertsConfig.alertsSaveInputSchema).output(alertsConfig.alertsConfigSchema),
  },
  /** The supervisor (issue 15): who supervises the cluster, and what it did and decided. */
  supervisor: {
    status: base.output(supervisor.supervisorStatusSchema),
    /** The latest events (default 50), oldest first; empty while Redis does not answer. */
    events: base
      .input(supervisor.supervisorEventsInputSchema)
      .output(z.array(supervisor.supervisorEventSchema)),
  },
  events: {
    /** Cluster state, progress, activity log and metrics; events held while nobody listened come first. */
    subscribe: base.input(subscribeInputSchema).output(eventIterator(apiEventSchema)),
  },
};

export type ApiContract = typeof apiContract;
export type ApiClient = ContractRouterClient<ApiContract>;
export type ApiInputs = InferContractRouterInputs<ApiContract>;
export type ApiOutputs = InferContractRouterOutputs<ApiContract>;
export type ApiEvent = z.infer<typeof apiEventSchema>;
export type ApiClusterStatus = z.infer<typeof clusterStatusSchema>;
export type ApiSettings = z.infer<typeof apiSettingsSchema>;
export type ApiLogLine = z.infer<typeof logLineSchema>;
export type ApiMetricsHistory = z.infer<typeof metricsHistorySchema>;

export { API_ERROR_CODES, apiErrorDataSchema } from './schemas/errors';
export type { ApiErrorCode, ApiErrorData, ApiOrpcErrorCode } from './schemas/errors';
export { API_EVENT_TOPICS } from './schemas/events';
export type { ApiEventTopic } from './schemas/events';
