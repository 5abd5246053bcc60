/**
 * How the tray runs a cluster action: through the API's one-at-a-time operation queue (so the
 * console sees its progress) and recorded in the audit log with the face `tray`. No Electron
 * import, so it is tested with the real ClusterWatch outside Electron.
 */
import { clusterTarget } from '../audit/cluster-target';
import { auditSinkFor, recordAction } from '../audit/record';
import type { ApiServices } from '../api/context';
import type { Core } from '../core';
import type { ProgressSink } from '../util/progress';

export function trayOperation(core: Core, api: Pick<ApiServices, 'operation'>) {
  return async <T>(name: string, run: (onProgress: ProgressSink) => Promise<T>): Promise<T> =>
    recordAction(
      auditSinkFor(core),
      { face: 'tray', action: name, target: await clusterTarget(core), args: {} },
      () => api.operation(name, undefined, run),
    );
}
