/**
 * metrics.range: the cluster's kept history (main/history) over a span, read from disk, so a
 * page draws the last quarter hour to the last day at once — whichever process recorded it.
 */
import { HISTORY_RANGE_MS } from '@shared/schemas/history';
import { historyFolder, readHistory, shapeHistory } from '../../history';
import { os } from './base';

export const historyProcedures = {
  range: os.metrics.range.handler(async ({ input, context }) => {
    const { spec } = await context.services.core.cluster.spec();
    const at = Date.now();
    const span = { from: at - HISTORY_RANGE_MS[input.range], to: at };
    const read = await readHistory(historyFolder(context.services.core.home, spec.name), span);
    return shapeHistory(read, input, { at, ...span });
  }),
};
