/** What an operation is called on screen, by kind and outcome. */
import { t, type MessageKey } from '../i18n/i18n.svelte';
import type { OperationView } from './operations.svelte';

const KIND: Record<string, string> = {
  'cluster.up': 'up',
  'cluster.down': 'down',
  'cluster.scale': 'scale',
  'cluster.restartWorker': 'restartWorker',
  'cluster.stopWorker': 'stopWorker',
  'images.ensure': 'images',
};

export function operationTitle(op: Pick<OperationView, 'operation' | 'state'>): string {
  const kind = KIND[op.operation] ?? 'other';
  return t(`cluster.operation.${kind}.${op.state}` as MessageKey);
}

/** Elapsed time of an operation, at `now` while it runs. */
export function operationElapsedMs(
  op: Pick<OperationView, 'startedAt' | 'finishedAt'>,
  now: number,
): number {
  return Math.max(0, (op.finishedAt ?? now) - op.startedAt);
}
