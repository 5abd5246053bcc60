/**
 * Live refresh for the queue and job views: a wake source for pollWhileVisible that fires when
 * the core reports job activity (the API's 'jobs' events) in a queue `relevant` accepts. The
 * poller keeps its interval as a fallback (e.g. while the event stream reconnects).
 */
import { followEvents } from '../shell/event-stream';

export function jobActivity(
  relevant: (queue: string) => boolean,
): (wake: () => void) => () => void {
  return (wake) =>
    followEvents(['jobs'], {
      onEvent: (event) => {
        if (event.topic === 'jobs' && event.data.queues.some(relevant)) wake();
      },
    });
}
