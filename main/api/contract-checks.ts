/**
 * Compile-time guard: the contract's browser-safe schemas (main/shared/schemas/) mirror types that
 * live in core modules the renderer cannot import. If a core type changes, `tsc` fails here,
 * naming the pair to bring back in line. Nothing in this file runs.
 */
import type { z } from 'zod';
import type { ClusterStatus } from '../cluster/status';
import type { EngineInfo } from '../engine/types';
import type {
  AddJobInput,
  CleanInput,
  DrainInput,
  FindJobsByNameInput,
  ListJobsInput,
  MetricsInput,
} from '../queues/queue-inputs';
import type {
  AddJobResult,
  CeleryQueueView,
  CleanResult,
  DrainResult,
  JobActionResult,
  JobDetail,
  JobPage,
  JobSearchResult,
  PauseResult,
  QueueMetrics,
  QueuesOverview,
  QueueSummary,
  RetryAllResult,
  WorkerView,
} from '../queues/queue-types';
import type { ContainerHistory } from '../monitor';
import type { Settings } from '../settings/settings-schema';
import type { UserSecretInfo } from '../settings/user-secrets';
import type { secretInfoSchema } from '@shared/schemas/secrets';
import type { ErrorCode } from '../util/errors';
import type { ProgressEvent } from '../util/progress';
import type {
  clusterStatusSchema,
  engineInfoSchema,
  progressEventSchema,
} from '@shared/schemas/cluster';
import type { ApiErrorCode } from '@shared/schemas/errors';
import type * as q from '@shared/schemas/queues';
import type { apiSettingsSchema } from '@shared/schemas/settings';
import type { containerHistorySchema, throughputPointSchema } from '@shared/schemas/metrics';
import type { ThroughputPoint } from './throughput-history';

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Accepts only `true`: an error here names two types that no longer match. */
type Same<A, B> = Exact<A, B>;
type Check<T extends true> = T;
/** Input schemas of the contract must produce values the queues core accepts. */
type Accepts<Core, Contract> = [Contract] extends [Core] ? true : false;

export type ContractChecks = [
  Check<Same<ApiErrorCode, ErrorCode>>,
  Check<Same<z.output<typeof progressEventSchema>, ProgressEvent>>,
  Check<Same<z.output<typeof clusterStatusSchema>, ClusterStatus>>,
  Check<Same<Omit<z.output<typeof engineInfoSchema>, 'endpoint'>, EngineInfo>>,
  Check<Same<z.output<typeof apiSettingsSchema>, Settings>>,
  Check<Same<z.output<typeof secretInfoSchema>, UserSecretInfo>>,
  Check<Same<z.output<typeof containerHistorySchema>, ContainerHistory>>,
  Check<Same<z.output<typeof throughputPointSchema>, ThroughputPoint>>,
  Check<Same<z.output<typeof q.queueSummarySchema>, QueueSummary>>,
  Check<Same<z.output<typeof q.workerViewSchema>, WorkerView>>,
  Check<Same<z.output<typeof q.queuesOverviewSchema>, QueuesOverview>>,
  Check<Same<z.output<typeof q.celeryQueueViewSchema>, CeleryQueueView>>,
  Check<Same<z.output<typeof q.jobPageSchema>, JobPage>>,
  Check<Same<z.output<typeof q.jobDetailSchema>, JobDetail>>,
  Check<Same<z.output<typeof q.jobSearchResultSchema>, JobSearchResult>>,
  Check<Same<z.output<typeof q.queueMetricsSchema>, QueueMetrics>>,
  Check<Same<z.output<typeof q.addJobResultSchema>, AddJobResult>>,
  Check<Same<z.output<typeof q.jobActionResultSchema>, JobActionResult>>,
  Check<Same<z.output<typeof q.retryAllResultSchema>, RetryAllResult>>,
  Check<Same<z.output<typeof q.pauseResultSchema>, PauseResult>>,
  Check<Same<z.output<typeof q.cleanResultSchema>, CleanResult>>,
  Check<Same<z.output<typeof q.drainResultSchema>, DrainResult>>,
  Check<Accepts<AddJobInput, z.output<typeof q.addJobInputSchema>>>,
  Check<Accepts<ListJobsInput, z.output<typeof q.listJobsInputSchema>>>,
  Check<Accepts<FindJobsByNameInput, z.output<typeof q.findByNameInputSchema>>>,
  Check<Accepts<CleanInput, z.output<typeof q.cleanInputSchema>>>,
  Check<Accepts<DrainInput, z.output<typeof q.drainInputSchema>>>,
  Check<Accepts<MetricsInput, z.output<typeof q.metricsInputSchema>>>,
];
