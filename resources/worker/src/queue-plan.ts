/**
 * Decides which queues this worker consumes and what handles each: a built-in processor or a
 * user processor file. A queue is served by the processor of its own name, or, bound as
 * `queue=processor`, by the one named (a pool serving `agent-tasks` with the shell processor). A
 * user file named after a built-in processor replaces the built-in.
 */
import {
  BUILTIN_QUEUES,
  SHELL_PROCESSOR,
  WORKER_ENV,
  parseQueueEntry,
  type BuiltinQueue,
} from '../../../main/shared/worker-contract';
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

/**
 * `queues`: GUILDHALL_QUEUES entries, `queue` or `queue=processor`; empty: every queue (but the
 * built-in shell when `shell` is false: the pool did not opt in to running commands).
 */
export function planQueues(
  queues: string[],
  processorsDir: string | null,
  shell = true,
): QueuePlan {
  const listing =
    processorsDir === null ? { files: [], shadowed: [] } : listProcessorFiles(processorsDir);
  const files = new Map(listing.files.map((f) => [f.queue, f.path]));
  const warnings = listing.shadowed.map(
    (name) => `ignoring processor file ${name}: another file for the same queue takes precedence`,
  );
  const allQueues = queues.length === 0;
  const builtins = BUILTIN_QUEUES.filter((q) => shell || q !== SHELL_PROCESSOR);
  const wanted = allQueues ? [...new Set([...builtins, ...files.keys()])] : queues;

  const handlers: QueueHandler[] = [];
  const missing: { queue: string; processor: string }[] = [];
  for (const entry of wanted) {
    const { queue, processor } = parseQueueEntry(entry);
    const file = files.get(processor);
    if (file !== undefined) handlers.push({ queue, kind: 'file', file });
    else if (processor === SHELL_PROCESSOR && !shell)
      throw new ConfigError(
        `queue ${queue} needs the shell processor, which is off for this pool (${WORKER_ENV.shellOff}=1); set shell: true on the pool`,
      );
    else if (isBuiltinQueue(processor))
      handlers.push({ queue, kind: 'builtin', builtin: processor });
    else missing.push({ queue, processor });
  }
  if (missing.length > 0) {
    const where =
      processorsDir === null
        ? 'no processors folder is configured'
        : `no ${missing[0]!.processor}{${PROCESSOR_EXTENSIONS.join(',')}} in ${processorsDir}`;
    const named = missing.map(({ queue, processor }) =>
      queue === processor ? queue : `${queue} (processor ${processor})`,
    );
    throw new ConfigError(
      `no processor for queue${missing.length > 1 ? 's' : ''} ${named.join(', ')}: ` +
        `not a built-in queue (${BUILTIN_QUEUES.join(', ')}) and ${where}`,
    );
  }
  return { handlers, allQueues, warnings };
}
