/**
 * `flow add FILE` adds a flow (a tree of jobs across queues, JSON; YAML is not read: no YAML
 * parser is a dependency), `flow show <queue> <id>` prints the tree a job belongs to, `flows`
 * lists the latest flows (main/queues/flows/).
 */
import fs from 'node:fs/promises';
import { Flows, type FlowNodeView } from '../../queues/flows/flows';
import type { FlowNodeInput } from '../../queues/flows/flow-inputs';
import { describeJsonProblem, parseJsonText } from '../../queues/json-text';
import { GuildhallError } from '../../util/errors';
import { EXIT } from '../exit-codes';
import type { CommandRunner } from '../index';
import { table } from './queues';
import { usageError, withToolkit } from './queue-toolkit-access';

export const runFlows: CommandRunner = (core, io, _positionals, flags) =>
  withToolkit(core, async (kit) => {
    const list = await new Flows(kit).list();
    if (flags.json === true) io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    else if (list.length === 0)
      io.stdout.write('No flows yet. Add one with `guildhall flow add FILE`.\n');
    else
      io.stdout.write(
        table(
          ['QUEUE', 'ID', 'NAME', 'STATE', 'JOBS', 'BY STATE'],
          list.map((f) => [
            f.queue,
            f.id,
            f.name,
            f.state,
            String(f.jobs),
            Object.entries(f.states)
              .map(([state, n]) => `${state} ${n}`)
              .join(', '),
          ]),
        ),
      );
    return EXIT.ok;
  });

export const runFlow: CommandRunner = async (core, io, positionals, flags) => {
  const [action, first, second] = positionals;
  const json = flags.json === true;
  if (action === 'add') {
    if (!first) throw usageError('flow add needs a JSON file.', 'guildhall flow add pipeline.json');
    const flow = await readFlowFile(first);
    return withToolkit(core, async (kit) => {
      const tree = await new Flows(kit).add(flow);
      io.stdout.write(
        json
          ? `${JSON.stringify(tree, null, 2)}\n`
          : `Added flow ${tree.queue}/${tree.id}:\n${formatTree(tree)}`,
      );
      return EXIT.ok;
    });
  }
  if (action === 'show') {
    if (!first || !second)
      throw usageError('flow show needs a queue and a job id.', 'guildhall flow show result 42');
    return withToolkit(core, async (kit) => {
      const tree = await new Flows(kit).treeOf({ queue: first, id: second });
      io.stdout.write(json ? `${JSON.stringify(tree, null, 2)}\n` : formatTree(tree));
      return EXIT.ok;
    });
  }
  throw usageError(
    `Unknown flow action "${action ?? ''}"; use add or show.`,
    'guildhall flow add pipeline.json',
  );
};

async function readFlowFile(file: string): Promise<FlowNodeInput> {
  if (/\.ya?ml$/i.test(file)) {
    throw new GuildhallError(
      'invalid-input',
      `${file} looks like YAML; flows are read as JSON only.`,
      'Write the flow as JSON (the console has templates to start from).',
    );
  }
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new GuildhallError(
      'not-found',
      `Cannot read ${file}: ${(err as Error).message}.`,
      'Check the path.',
    );
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    throw new GuildhallError(
      'invalid-input',
      describeJsonProblem(parsed.problem, file),
      'Fix the JSON and try again.',
    );
  }
  return parsed.value as FlowNodeInput;
}

/** An indented tree: one line per job, children below their parent. */
export function formatTree(node: FlowNodeView, depth = 0): string {
  const policy = [
    node.failParentOnFailure ? 'failParentOnFailure' : null,
    node.ignoreDependencyOnFailure ? 'ignoreDependencyOnFailure' : null,
  ].filter(Boolean);
  const line =
    `${'  '.repeat(depth)}${depth === 0 ? '' : '└ '}${node.queue}/${node.id} ${node.name} [${node.state}]` +
    `${node.durationMs === null ? '' : ` ${node.durationMs} ms`}` +
    `${policy.length ? ` (${policy.join(', ')})` : ''}` +
    `${node.failedReason ? ` — ${node.failedReason}` : ''}\n`;
  return line + node.children.map((child) => formatTree(child, depth + 1)).join('');
}
