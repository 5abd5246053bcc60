/** metrics.history: recent host, container and throughput points, for charts drawn at once. */
import { readMetricsHistory } from '../metrics-history';
import { os } from './base';

export const metricsProcedures = {
  history: os.metrics.history.handler(({ input, context }) =>
    readMetricsHistory(
      context.services.metricsHistory(),
      context.services.throughput.read(input?.since),
      { since: input?.since },
    ),
  ),
};
