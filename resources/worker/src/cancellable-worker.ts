/**
 * A BullMQ Worker whose cancelled jobs fail for good. BullMQ's cancellation (Worker.cancelJob)
 * only aborts the processor's AbortSignal; what the processor then throws is an ordinary error,
 * which BullMQ would retry while attempts remain. Here a job whose signal was aborted fails with
 * an UnrecoverableError carrying the cancellation reason ("cancelled by user"), whatever the
 * processor threw — for built-ins and sandboxed processor files alike (both go through
 * callProcessJob).
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { CANCELLED_BY_USER } from '../../../main/cluster/cancel-contract';

export class CancellableWorker extends Worker {
  protected override async callProcessJob(
    job: Job,
    token: string,
    signal?: AbortSignal,
  ): Promise<unknown> {
    try {
      return await super.callProcessJob(job, token, signal);
    } catch (err) {
      if (signal?.aborted) throw new UnrecoverableError(cancellationReason(signal));
      throw err;
    }
  }
}

function cancellationReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return typeof reason === 'string' && reason !== '' ? reason : CANCELLED_BY_USER;
}
