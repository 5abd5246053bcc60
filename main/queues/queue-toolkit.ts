/**
 * What the queue features built beside QueuesService (job controls, schedules, flows, search)
 * need from it: its one Redis connection, its cached Queue objects, queue discovery and its
 * error mapping. QueuesService.toolkit() hands it out, so those features live in files of their
 * own yet share the service's connection and checks.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export interface QueueToolkit {
  readonly redis: Redis;
  readonly cluster: string;
  /** BullMQ key prefix. */
  readonly prefix: string;
  now(): number;
  /** The Queue for a name that must exist; unknown names get 'not-found' listing the known ones. */
  existingQueue(name: string): Promise<Queue>;
  /** The Queue for any name (adding to it creates it); register() makes a new one known. */
  queueObject(name: string): Queue;
  register(name: string): Promise<void>;
  knownQueues(): Promise<string[]>;
  /** Runs an operation, mapping failures to GuildhallError (password redacted). */
  guard<T>(action: string, run: () => Promise<T>): Promise<T>;
}
