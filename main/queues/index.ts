/** The queues core's public surface (no Electron): the service, its input schemas and its types. */
export { QueuesService, type QueuesServiceOptions } from './queues-service';
export * from './queue-inputs';
export * from './queue-types';
export { queueRegistryKey } from './queue-discovery';
export { FIND_BY_NAME_SCAN_LIMIT } from './job-reads';
export { MAX_JOB_DATA_BYTES } from './json-data';
export { parseJsonText, describeJsonProblem, type JsonTextProblem } from './json-text';
export {
  watchedCeleryQueues,
  celeryQueueKeys,
  readCeleryQueues,
  type WatchedCeleryQueue,
} from './celery-queues';
