/** The API router: the contract implemented by the procedure modules. */
import { os } from './procedures/base';
import { clusterProcedures } from './procedures/cluster';
import { engineProcedures } from './procedures/engine';
import { appProcedures, eventsProcedures } from './procedures/events';
import { imagesProcedures } from './procedures/images';
import { logsProcedures } from './procedures/logs';
import { queuesProcedures } from './procedures/queues';
import { settingsProcedures } from './procedures/settings';

export const apiRouter = os.router({
  app: appProcedures,
  cluster: clusterProcedures,
  engine: engineProcedures,
  images: imagesProcedures,
  queues: queuesProcedures,
  logs: logsProcedures,
  settings: settingsProcedures,
  events: eventsProcedures,
});

export type ApiRouter = typeof apiRouter;
