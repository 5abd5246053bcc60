/** The topics the API's event hub carries, typed by the contract's event schemas. */
import type { z } from 'zod';
import type { ClusterStatus } from '../cluster/status';
import { EventHub, type EventHubOptions } from './event-hub';
import type {
  activeAlertsSchema,
  activityLogSchema,
  jobActivitySchema,
  operationProgressSchema,
} from '@shared/schemas/events';

export type OperationProgress = z.infer<typeof operationProgressSchema>;
export type ActivityLog = z.infer<typeof activityLogSchema>;
export type JobActivity = z.infer<typeof jobActivitySchema>;
export type ActiveAlerts = z.infer<typeof activeAlertsSchema>;

export interface ApiEventMap {
  'cluster-state': ClusterStatus;
  progress: OperationProgress;
  log: ActivityLog;
  /** A tick from the metrics monitor, as it publishes it. */
  metrics: unknown;
  jobs: JobActivity;
  /** The alert monitor's active alerts, when they change. */
  alerts: ActiveAlerts;
}

export type ApiEventHub = EventHub<ApiEventMap>;

export function createApiEventHub(options?: EventHubOptions): ApiEventHub {
  return new EventHub<ApiEventMap>(options);
}
