/**
 * Flows on a real cluster: a three-level tree across three queues served by processor files in
 * two pools (the default pool runs result and pm, the pool `agents` runs task — the task → PM →
 * result pipeline users build) completes with each parent's result holding its children's
 * values (added from the CLI), and a
 * failing child fails its parent with failParentOnFailure but not with ignoreDependencyOnFailure.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Flows, type FlowNodeView } from '../../main/queues/flows/flows';
import { poolSpecSchema } from '../../main/settings/pool-spec';
import { QueuesService } from '../../main/queues/index';
import { connectionFromUrl, makeProcessorsDir, writeProcessor } from './helpers/cluster-jobs-kit';
import { waitFor } from './helpers/queues-fixture';
import { runCli } from './helpers/run-cli';
import { createTestCluster, type TestCluster } from './helpers/test-cluster';

let tc: TestCluster;
let service: QueuesService;
let flows: Flows;
let processorsDir: string;
let scratch: string;

/** Each stage returns its own stage name and what its children returned. */
const COLLECT = `
module.exports = async (job) => ({ stage: job.data.stage, children: await job.getChildrenValues() });
`;

beforeAll(async () => {
  tc = await createTestCluster({ workers: 1 });
  processorsDir = await makeProcessorsDir();
  for (const stage of ['task', 'pm', 'result'])
    await writeProcessor(processorsDir, `${stage}.js`, COLLECT);
  await tc.core.settings.update((s) => ({
    ...s,
    cluster: {
      ...s.cluster,
      workers: { ...s.cluster.workers, processorsDir, queues: ['result', 'pm', 'shell'] },
      pools: { agents: poolSpecSchema.parse({ replicas: 1, queues: ['task'] }) },
    },
  }));
  await tc.core.cluster.up();
  const connection = connectionFromUrl(await tc.core.cluster.connectionUrl());
  service = new QueuesService({ connection, cluster: tc.name });
  flows = new Flows(service.toolkit());
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'ghtest-flows-'));
});

afterAll(async () => {
  await service?.close();
  await tc?.cleanup();
  for (const dir of [processorsDir, scratch])
    if (dir) await fs.rm(dir, { recursive: true, force: true });
});

async function settledTree(queue: string, id: string): Promise<FlowNodeView> {
  let tree: FlowNodeView | undefined;
  await waitFor(
    async () => {
      tree = await flows.treeOf({ queue, id });
      return tree.state === 'completed' || tree.state === 'failed';
    },
    60_000,
    `flow ${queue}/${id} to finish`,
    200,
  );
  return tree!;
}

describe('flows', () => {
  it('a three-level flow added from the CLI completes, each parent holding its children’s values', async () => {
    const file = path.join(scratch, 'pipeline.json');
    await fs.writeFile(
      file,
      JSON.stringify({
        queue: 'result',
        name: 'result',
        data: { stage: 'result' },
        children: [
          {
            queue: 'pm',
            name: 'pm',
            data: { stage: 'pm' },
            children: [{ queue: 'task', name: 'task', data: { stage: 'task' } }],
          },
        ],
      }),
    );
    const cli = await runCli(['flow', 'add', file, '--json'], tc.env);
    expect(cli.code, cli.stderr).toBe(0);
    const added = JSON.parse(cli.stdout) as FlowNodeView;
    const pm = added.children[0]!;
    const task = pm.children[0]!;

    const root = await settledTree('result', added.id);
    expect(root.state).toBe('completed');
    expect(root.returnvalue).toEqual({
      stage: 'result',
      children: {
        [`bull:pm:${pm.id}`]: {
          stage: 'pm',
          children: { [`bull:task:${task.id}`]: { stage: 'task', children: {} } },
        },
      },
    });
    expect(root.childrenValues).toEqual({
      [`bull:pm:${pm.id}`]: expect.objectContaining({ stage: 'pm' }),
    });
    expect(root.children[0]!.children[0]).toMatchObject({ queue: 'task', state: 'completed' });
    // Each stage ran in the pool that serves its queue.
    expect(root.worker).toMatch(new RegExp(`^${tc.name}-worker-\\d$`));
    expect(root.children[0]!.worker).toMatch(new RegExp(`^${tc.name}-worker-\\d$`));
    expect(root.children[0]!.children[0]!.worker).toMatch(new RegExp(`^${tc.name}-agents-\\d$`));

    // Any job of the tree leads to the whole tree.
    expect(await flows.locate({ queue: 'task', id: task.id })).toEqual({
      queue: 'result',
      id: added.id,
    });
    expect((await flows.treeOf({ queue: 'task', id: task.id })).id).toBe(added.id);
    expect((await flows.list())[0]).toMatchObject({
      queue: 'result',
      id: added.id,
      jobs: 3,
      states: { completed: 3 },
    });
  });

  it('failParentOnFailure: a failing child fails its parent', async () => {
    const added = await flows.add({
      queue: 'result',
      data: { stage: 'result' },
      children: [
        { queue: 'task', data: { stage: 'task' } },
        { queue: 'shell', data: { command: ['false'] }, failParentOnFailure: true },
      ],
    });
    expect(added.children[1]).toMatchObject({
      failParentOnFailure: true,
      ignoreDependencyOnFailure: false,
    });
    const root = await settledTree('result', added.id);
    expect(root.state).toBe('failed');
    expect(root.children.find((c) => c.queue === 'shell')!.state).toBe('failed');
  });

  it('ignoreDependencyOnFailure: the parent completes and records the failure', async () => {
    const added = await flows.add({
      queue: 'result',
      data: { stage: 'result' },
      children: [
        { queue: 'task', data: { stage: 'task' } },
        { queue: 'shell', data: { command: ['false'] }, ignoreDependencyOnFailure: true },
      ],
    });
    const root = await settledTree('result', added.id);
    expect(root.state).toBe('completed');
    const shell = root.children.find((c) => c.queue === 'shell')!;
    expect(shell.state).toBe('failed');
    expect(Object.keys(root.ignoredFailures)).toEqual([`bull:shell:${shell.id}`]);
  });

  it('checks a flow without adding it, naming the node at fault', async () => {
    const bad = flows.check({ queue: 'result', children: [{ name: 'no queue' }] });
    expect(bad.ok).toBe(false);
    expect(bad.problem).toMatch(/children\.0\.queue/);
    expect(flows.check({ queue: 'a', children: [{ queue: 'b' }] })).toEqual({
      ok: true,
      problem: null,
      jobs: 2,
      queues: ['a', 'b'],
    });
  });
});
