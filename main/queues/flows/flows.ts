/**
 * Flows: trees of jobs across queues on BullMQ's FlowProducer. Adding one records its root in a
 * Guildhall-owned sorted set (newest first, the latest RECORDED_FLOWS kept) so the console can
 * list them; any job of a tree, however it was added, leads to its whole tree (treeOf climbs to
 * the root). Each node shows its state, worker, duration, result, the children's values the
 * parent received and its failure policy.
 *
 *   const flows = new Flows(queues.toolkit());
 *   const root = await flows.add({ queue: 'result', children: [{ queue: 'pm', children: [...] }] });
 */
import { FlowProducer, type FlowJob, type Job, type JobNode } from 'bullmq';
import { GuildhallError } from '../../util/errors';
import { jobRefInputSchema, parseInput } from '../queue-inputs';
import type { QueueToolkit } from '../queue-toolkit';
import { MAX_FLOW_DEPTH, parseFlow, type FlowNodeInput } from './flow-inputs';

export const RECORDED_FLOWS = 500;
const LISTED_FLOWS = 50;
const MAX_CHILDREN_SHOWN = 200;

export interface FlowNodeView {
  queue: string;
  id: string;
  name: string;
  state: string;
  worker: string | null;
  attemptsMade: number;
  createdAt: number;
  processedOn: number | null;
  finishedOn: number | null;
  durationMs: number | null;
  failedReason: string | null;
  returnvalue: unknown;
  /** What this job received from its children (by child job key), once they completed. */
  childrenValues: Record<string, unknown>;
  /** Failures of children with ignoreDependencyOnFailure, by child job key. */
  ignoredFailures: Record<string, string>;
  failParentOnFailure: boolean;
  ignoreDependencyOnFailure: boolean;
  children: FlowNodeView[];
}

export interface FlowSummary {
  queue: string;
  id: string;
  name: string;
  state: string;
  createdAt: number;
  jobs: number;
  /** Jobs by state, over the whole tree. */
  states: Record<string, number>;
}

export interface FlowCheck {
  ok: boolean;
  /** What is wrong, naming the node path (e.g. children.0.queue); null when ok. */
  problem: string | null;
  jobs: number;
  queues: string[];
}

export function flowIndexKey(cluster: string): string {
  return `guildhall:${cluster}:flows`;
}

export class Flows {
  constructor(private readonly kit: QueueToolkit) {}

  /** Adds a flow atomically (all jobs or none) and returns its tree. */
  add(input: FlowNodeInput): Promise<FlowNodeView> {
    return this.kit.guard('add a flow', async () => {
      const root = parseFlow(input);
      const producer = this.producer();
      try {
        const node = await producer.add(toFlowJob(root));
        const queues = new Set<string>();
        collectQueues(root, queues);
        for (const queue of queues) await this.kit.register(queue);
        const id = node.job.id ?? '';
        await this.kit.redis
          .multi()
          .zadd(flowIndexKey(this.kit.cluster), this.kit.now(), `${root.queue}\n${id}`)
          .zremrangebyrank(flowIndexKey(this.kit.cluster), 0, -RECORDED_FLOWS - 1)
          .exec();
        return inAddedOrder(await this.tree(producer, root.queue, id), node);
      } finally {
        await producer.close();
      }
    });
  }

  /** The latest flows added through Guildhall, newest first. */
  list(): Promise<FlowSummary[]> {
    return this.kit.guard('list flows', async () => {
      const members = await this.kit.redis.zrevrange(
        flowIndexKey(this.kit.cluster),
        0,
        LISTED_FLOWS - 1,
      );
      const producer = this.producer();
      try {
        const summaries: FlowSummary[] = [];
        for (const member of members) {
          const [queue = '', id = ''] = member.split('\n');
          const node = await producer.getFlow({
            queueName: queue,
            id,
            depth: MAX_FLOW_DEPTH,
            maxChildren: MAX_CHILDREN_SHOWN,
            prefix: this.kit.prefix,
          });
          if (!node?.job) continue; // removed since (cleaned, or by retention)
          const states: Record<string, number> = {};
          let jobs = 0;
          const walk = async (n: JobNode) => {
            jobs += 1;
            const state = await n.job.getState();
            states[state] = (states[state] ?? 0) + 1;
            for (const child of n.children ?? []) await walk(child);
          };
          await walk(node);
          summaries.push({
            queue,
            id,
            name: node.job.name,
            state: await node.job.getState(),
            createdAt: node.job.timestamp,
            jobs,
            states,
          });
        }
        return summaries;
      } finally {
        await producer.close();
      }
    });
  }

  /** The whole tree a job belongs to (from its root), or not-found. */
  treeOf(ref: { queue: string; id: string }): Promise<FlowNodeView> {
    return this.kit.guard(`read the flow of job "${String(ref?.id)}"`, async () => {
      const { queue, id } = parseInput(jobRefInputSchema, ref, 'job reference');
      const root = await this.rootOf(queue, id);
      const producer = this.producer();
      try {
        return await this.tree(producer, root.queue, root.id);
      } finally {
        await producer.close();
      }
    });
  }

  /** Where a job's tree starts, or null when the job is in no flow (no parent, no children). */
  locate(ref: { queue: string; id: string }): Promise<{ queue: string; id: string } | null> {
    return this.kit.guard(`find the flow of job "${String(ref?.id)}"`, async () => {
      const { queue, id } = parseInput(jobRefInputSchema, ref, 'job reference');
      const job = await (await this.kit.existingQueue(queue)).getJob(id);
      if (!job) return null;
      if (!job.parent) {
        const counts = await job.getDependenciesCount();
        const total = Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
        if (total === 0) return null;
      }
      return this.rootOf(queue, id);
    });
  }

  /** Checks a flow without adding it: the problems naming the node path, or its size. */
  check(input: unknown): FlowCheck {
    try {
      const root = parseFlow(input);
      const queues = new Set<string>();
      collectQueues(root, queues);
      return { ok: true, problem: null, jobs: countJobs(root), queues: [...queues].sort() };
    } catch (err) {
      return {
        ok: false,
        problem: err instanceof Error ? err.message : String(err),
        jobs: 0,
        queues: [],
      };
    }
  }

  /* ---------- internals ---------- */

  private producer(): FlowProducer {
    const producer = new FlowProducer({ connection: this.kit.redis, prefix: this.kit.prefix });
    producer.on('error', () => {});
    return producer;
  }

  private async rootOf(queue: string, id: string): Promise<{ queue: string; id: string }> {
    let current = { queue, id };
    for (let depth = 0; depth <= MAX_FLOW_DEPTH * 2; depth += 1) {
      const job = await this.kit.queueObject(current.queue).getJob(current.id);
      if (!job) {
        throw new GuildhallError(
          'not-found',
          `Queue "${current.queue}" has no job with id "${current.id}".`,
          'It may have been removed by the retention policy; list the flows to see the current ones.',
        );
      }
      const parent = job.parent;
      if (!parent?.id) return current;
      current = { queue: queueOfKey(parent.queueKey, this.kit.prefix), id: parent.id };
    }
    return current;
  }

  private async tree(producer: FlowProducer, queue: string, id: string): Promise<FlowNodeView> {
    const node = await producer.getFlow({
      queueName: queue,
      id,
      depth: MAX_FLOW_DEPTH,
      maxChildren: MAX_CHILDREN_SHOWN,
      prefix: this.kit.prefix,
    });
    if (!node?.job) {
      throw new GuildhallError(
        'not-found',
        `Queue "${queue}" has no job with id "${id}".`,
        'List the flows to see the current ones.',
      );
    }
    return this.view(node, queue);
  }

  private async view(node: JobNode, queue: string): Promise<FlowNodeView> {
    const job: Job = node.job;
    const hasChildren = (node.children?.length ?? 0) > 0;
    const [state, childrenValues, ignoredFailures, children] = await Promise.all([
      job.getState(),
      hasChildren ? job.getChildrenValues() : Promise.resolve({}),
      hasChildren ? job.getIgnoredChildrenFailures() : Promise.resolve({}),
      Promise.all((node.children ?? []).map((child) => this.view(child, child.job.queueName))),
    ]);
    // Redis keeps a job's children as a set: show them oldest first, ties by queue and id.
    children.sort(
      (a, b) =>
        a.createdAt - b.createdAt || a.queue.localeCompare(b.queue) || a.id.localeCompare(b.id),
    );
    const opts = job.opts ?? {};
    return {
      queue,
      id: job.id ?? '',
      name: job.name,
      state,
      worker: job.processedBy ?? null,
      attemptsMade: job.attemptsMade,
      createdAt: job.timestamp,
      processedOn: job.processedOn ?? null,
      finishedOn: job.finishedOn ?? null,
      durationMs:
        job.processedOn && job.finishedOn ? Math.max(0, job.finishedOn - job.processedOn) : null,
      failedReason: job.failedReason || null,
      returnvalue: job.returnvalue ?? null,
      childrenValues: childrenValues as Record<string, unknown>,
      ignoredFailures: ignoredFailures as Record<string, string>,
      failParentOnFailure: opts.failParentOnFailure === true,
      ignoreDependencyOnFailure: opts.ignoreDependencyOnFailure === true,
      children,
    };
  }
}

/** The tree just added, its children in the order they were given (Redis forgets the order). */
function inAddedOrder(view: FlowNodeView, added: JobNode): FlowNodeView {
  const given = added.children ?? [];
  const key = (queue: string, id: string | undefined) => `${queue}\n${id ?? ''}`;
  const rank = new Map(given.map((child, i) => [key(child.job.queueName, child.job.id), i]));
  const children = view.children
    .map((child) => ({ child, at: rank.get(key(child.queue, child.id)) }))
    .sort((a, b) => (a.at ?? given.length) - (b.at ?? given.length))
    .map(({ child, at }) => (at === undefined ? child : inAddedOrder(child, given[at]!)));
  return { ...view, children };
}

function toFlowJob(node: FlowNodeInput): FlowJob {
  const opts = {
    ...(node.failParentOnFailure ? { failParentOnFailure: true } : {}),
    ...(node.ignoreDependencyOnFailure ? { ignoreDependencyOnFailure: true } : {}),
    ...(node.attempts === undefined ? {} : { attempts: node.attempts }),
  };
  const job = { name: node.name ?? node.queue, queueName: node.queue, data: node.data ?? {}, opts };
  return (
    node.children?.length ? { ...job, children: node.children.map(toFlowJob) } : job
  ) as FlowJob;
}

function countJobs(node: FlowNodeInput): number {
  return 1 + (node.children ?? []).reduce((sum, child) => sum + countJobs(child), 0);
}

function collectQueues(node: FlowNodeInput, into: Set<string>): void {
  into.add(node.queue);
  for (const child of node.children ?? []) collectQueues(child, into);
}

/** `bull:reports` → `reports`. */
function queueOfKey(queueKey: string, prefix: string): string {
  return queueKey.startsWith(`${prefix}:`) ? queueKey.slice(prefix.length + 1) : queueKey;
}
