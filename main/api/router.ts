/** The API router: the contract implemented by the procedure modules. */
import { alertsProcedures } from './procedures/alerts';
import { auditProcedures } from './procedures/audit';
import { os } from './procedures/base';
import { clusterProcedures } from './procedures/cluster';
import { controlsProcedures } from './procedures/controls';
import { appDiagnosticsProcedures, diagnosticsProcedures } from './procedures/diagnostics';
import { engineProcedures } from './procedures/engine';
import { exportProcedures } from './procedures/export';
import { flowsProcedures } from './procedures/flows';
import { historyProcedures } from './procedures/history';
import { appProcedures, eventsProcedures } from './procedures/events';
import { imagesProcedures } from './procedures/images';
import { logsProcedures } from './procedures/logs';
import { metricsProcedures } from './procedures/metrics';
import { queuesProcedures } from './procedures/queues';
import { schedulesProcedures } from './procedures/schedules';
import { secretsProcedures } from './procedures/secrets';
import { settingsProcedures } from './procedures/settings';
import { setupProcedures } from './procedures/setup';
import { supervisorProcedures } from './procedures/supervisor';

export const apiRouter = os.router({
  app: { ...appProcedures, ...appDiagnosticsProcedures },
  cluster: clusterProcedures,
  engine: engineProcedures,
  images: imagesProcedures,
  queues: queuesProcedures,
  controls: controlsProcedures,
  schedules: schedulesProcedures,
  flows: flowsProcedures,
  logs: logsProcedures,
  metrics: { ...metricsProcedures, ...historyProcedures },
  diagnostics: diagnosticsProcedures,
  setup: setupProcedures,
  settings: settingsProcedures,
  secrets: secretsProcedures,
  export: exportProcedures,
  audit: auditProcedures,
  alerts: alertsProcedures,
  supervisor: supervisorProcedures,
  events: eventsProcedures,
});

export type ApiRouter = typeof apiRouter;
