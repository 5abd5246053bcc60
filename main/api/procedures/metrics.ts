/** metrics.history: the monitor's recent host and container points, for charts drawn at once. */
import { readMetricsHistory } from '../metrics-history';
import { os } from './base';

export const metricsProcedures = {
  history: os.metrics.history.handler(({ input, context }) =>
    readMetricsHistory(context.services.metricsHistory(), { since: input?.since }),
  ),
};
