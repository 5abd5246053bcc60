/**
 * Decides which queues this worker consumes and what handles each: a built-in processor or a
 * user processor file. A user file named after a built-in queue replaces the built-in.
 */
import { BUILTIN_QUEUES, type BuiltinQueue } from '../../../main/shared/worker-contract';
import { ConfigError } from './config';
import { PROCESSOR_EXTENSIONS, listProcessorFiles } from './processor-files';

export type QueueHandler =
  | { queue: string; kind: 'builtin'; builtin: BuiltinQueue }
  | { queue: string; kind: 'file'; file: string };

export interface QueuePlan {
  handlers: QueueHandler[];
  /** True when GUILDHALL_QUEUES was empty: every built-in plus every processor file. */
  allQueues: boolean;
  warnings: string[];
}

export function isBuiltinQueue(queue: string): queue is BuiltinQueue {
  return (BUILTIN_QUEUES as readonly string[]).includes(queue);
}

export function planQueues(queues: string[], processorsDir: string | null): QueuePlan {
  const listing =
    processorsDir === null ? { files: [], shadowed: [] } : listProcessorFiles(processorsDir);
  const files = new Map(listing.files.map((f) => [f.queue, f.path]));
  const warnings = listing.shadowed.map(
    (name) => `ignoring processor file ${name}: another file for the same queue takes precedence`,
  );
  const allQueues = queues.length === 0;
  const wanted = allQueues ? [...new Set([...BUILTIN_QUEUES, ...files.keys()])] : queues;

  const handlers: QueueHandler[] = [];
  const missing: string[] = [];
  for (const queue of wanted) {
    const file = files.get(queue);
    if (file !== undefined) handlers.push({ queue, kind: 'file', file });
    else if (isBuiltinQueue(queue)) handlers.push({ queue, kind: 'builtin', builtin: queue });
    else missing.push(queue);
  }
  if (missing.length > 0) {
    const where =
      processorsDir === null
        ? 'no processors folder is configured'
        : `no ${missing[0]}{${PROCESSOR_EXTENSIONS.join(',')}} in ${processorsDir}`;
    throw new ConfigError(
      `no processor for queue${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: ` +
        `not a built-in queue (${BUILTIN_QUEUES.join(', ')}) and ${where}`,
    );
  }
  return { handlers, allQueues, warnings };
}
