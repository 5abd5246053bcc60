/**
 * Listens on the cluster's cancel channel (main/cluster/cancel-contract.ts) and aborts the named
 * job when one of this worker's queue workers is running it. Every worker receives every
 * request; only the one holding the job acts. Uses a connection of its own: a subscribed Redis
 * connection can do nothing else.
 */
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { cancelChannel, cancelRequestSchema } from '../../../main/cluster/cancel-contract';
import { log } from './log';

export interface CancelListener {
  close(): void;
}

export function listenForCancels(
  subscriber: Redis,
  cluster: string,
  workersByQueue: ReadonlyMap<string, Worker>,
): CancelListener {
  const channel = cancelChannel(cluster);
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    let request;
    try {
      request = cancelRequestSchema.parse(JSON.parse(text));
    } catch {
      log.warn(`ignored a malformed cancel request on ${channel}`);
      return;
    }
    const worker = workersByQueue.get(request.queue);
    if (worker?.cancelJob(request.id, request.reason)) {
      log.info(`job ${request.queue}#${request.id}: ${request.reason}; aborting it`);
    }
  });
  // A SUBSCRIBE sent before Redis answers is dropped once the connection's retries run out (a
  // worker starts beside Redis), and ioredis renews only subscriptions that succeeded: subscribe
  // on every 'ready' too (a repeat is harmless).
  const subscribe = () => void subscriber.subscribe(channel).catch(() => undefined);
  subscriber.on('ready', subscribe);
  subscribe();
  return {
    close() {
      subscriber.disconnect();
    },
  };
}
