/**
 * Fault injection: kill -9 the core process (the built `guildhall` CLI) in the middle of `up`
 * and of `scale` (both directions), a few rounds, then start it again. What a user relies on:
 * the same command run again adopts what the killed one left — containers already running are kept — and ends
 * with exactly the desired set: no orphans (every container with our labels is wanted), no
 * duplicates, one network, one volume, every worker registered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_VOLUMES, clusterFilter, volumeName } from '../../main/cluster/naming';
import { recordFaultResult, today } from './helpers/faults-kit';
import { runCli, startCli } from './helpers/run-cli';
import { createTestCluster, docker, type TestCluster } from './helpers/test-cluster';

const ROUNDS = 3;
let tc: TestCluster;
const rows: string[] = [];

beforeAll(async () => {
  tc = await createTestCluster({ workers: 2 });
});

afterAll(async () => {
  if (rows.length > 0) {
    await recordFaultResult(
      'core-kill',
      `### kill -9 the core during \`up\` and \`scale\` (${today()})

The built CLI was started with \`--json\` and SIGKILLed on its first progress event acting on a container (creating, starting or removing one; in rounds 2 and 3, 100 and 250 ms after it); then the same command ran again. The last row: Redis stopped by hand, then \`up\`. “kept” = containers running before the rerun that the rerun left in place; “replaced” = containers the rerun removed (never started, or beyond the wanted count).

| round | command killed | killed at | left behind (state: count) | rerun | kept / replaced | final (desired) | orphans / duplicates |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`,
    );
  }
  await tc?.cleanup();
});

interface Seen {
  id: string;
  name: string;
  state: string;
}

async function ours(): Promise<Seen[]> {
  const list = await docker.listContainers({ all: true, filters: clusterFilter(tc.name) });
  return list.map((c) => ({ id: c.Id, name: c.Names[0]!.replace(/^\//, ''), state: c.State }));
}

/** Every container named like ours, labels or not (an unlabelled one would be an orphan). */
async function namedLikeOurs(): Promise<string[]> {
  const list = await docker.listContainers({ all: true, filters: { name: [`${tc.name}-`] } });
  return list.map((c) => c.Names[0]!.replace(/^\//, '')).filter((n) => n.startsWith(`${tc.name}-`));
}

/**
 * Starts the CLI and SIGKILLs it `delayMs` after its first progress event acting on one of our
 * containers (creating, starting or removing one).
 */
async function killOnFirstContainerEvent(args: string[], delayMs: number): Promise<string> {
  const child = startCli([...args, '--json'], tc.env);
  return new Promise<string>((resolve, reject) => {
    let buffered = '';
    let killing = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `guildhall ${args.join(' ')} produced no container progress in 60 s:\n${buffered}`,
        ),
      );
    }, 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        let event: { step?: string; target?: string; status?: string; message?: string };
        try {
          event = JSON.parse(line);
        } catch {
          continue;
        }
        // The reconciler's own events (not the readiness wait's "waiting until it answers").
        const acting = /^(creating|starting|removing)/.test(event.message ?? '');
        if (acting && event.target?.startsWith(`${tc.name}-`)) {
          clearTimeout(timer);
          const what = `${event.step} ${event.target.slice(tc.name.length + 1)} ${event.message}`;
          setTimeout(() => {
            // A quick scale-down may be over before the delay ends: then there is nothing to kill.
            if (child.exitCode !== null)
              return resolve(`${what}; finished (exit ${child.exitCode}) before the kill`);
            child.kill('SIGKILL');
            resolve(delayMs > 0 ? `${what} + ${delayMs} ms` : what);
          }, delayMs);
          killing = true;
          child.stderr!.removeAllListeners('data');
          return;
        }
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || killing) return;
      clearTimeout(timer);
      reject(
        new Error(`guildhall ${args.join(' ')} exited (${code}) before any container progress`),
      );
    });
  });
}

function tally(containers: Seen[]): string {
  const counts = new Map<string, number>();
  for (const c of containers) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${state}: ${n}`).join(', ') || 'none';
}

async function killThenRerun(round: number, args: string[], desiredWorkers: number) {
  // Round 1 kills at the event itself, later rounds a little after, to land in other states.
  const killedAt = await killOnFirstContainerEvent(args, [0, 100, 250][(round - 1) % 3]!);
  // Let the engine finish what the dead client had asked for (a create, a stop) before looking.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const left = await ours();
  // The user runs the same command again: a change the killed run never finished was not saved
  // (a failed change leaves the settings as they were), so a bare `up` would keep the old count.
  const rerun = await runCli([...args, '--json'], tc.env);
  const after = await ours();
  const named = await namedLikeOurs();
  const [networks, volumes] = await Promise.all([
    docker.listNetworks({ filters: { label: [`io.guildhall.cluster=${tc.name}`] } }),
    docker.listVolumes({ filters: { label: [`io.guildhall.cluster=${tc.name}`] } }),
  ]);

  const desired = [
    `${tc.name}-redis-1`,
    ...Array.from({ length: desiredWorkers }, (_, i) => `${tc.name}-worker-${i + 1}`),
  ].sort();
  const names = after.map((c) => c.name).sort();
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  const orphans = [...new Set([...names, ...named])].filter((n) => !desired.includes(n));
  const runningBefore = left.filter((c) => c.state === 'running' && desired.includes(c.name));
  const kept = runningBefore.filter((c) => after.some((a) => a.id === c.id));
  const replaced = left.filter((c) => !after.some((a) => a.id === c.id));
  rows.push(
    `| ${round} | \`guildhall ${args.join(' ')}\` | ${killedAt} | ${tally(left)} | exit ${rerun.code} | ${kept.length} / ${replaced.length} | ${after.filter((c) => c.state === 'running').length} running (${desired.length}) | ${orphans.length} / ${duplicates.length} |`,
  );

  expect(rerun.stderr).not.toMatch(/guildhall: /);
  expect(rerun.code).toBe(0);
  const status = JSON.parse(rerun.stdout) as { state: string; desiredWorkers: number };
  expect(status.state).toBe('running');
  expect(status.desiredWorkers).toBe(desiredWorkers);
  expect(names).toEqual(desired);
  expect(duplicates).toEqual([]);
  expect(orphans).toEqual([]);
  expect(after.every((c) => c.state === 'running')).toBe(true);
  expect(kept.map((c) => c.name)).toEqual(runningBefore.map((c) => c.name));
  expect(networks.length).toBe(1);
  expect((volumes.Volumes ?? []).map((v) => v.Name).sort()).toEqual(
    CLUSTER_VOLUMES.map((v) => volumeName(tc.name, v)),
  );
}

describe('kill -9 of the core during up and scale', () => {
  it(`${ROUNDS} rounds of up, scale up and scale down: the next run adopts, no orphans, no duplicates`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      // `up` from nothing running (Redis data kept), killed as the first container is made.
      await tc.core.cluster.down();
      const base = round === 2 ? 3 : 2;
      await killThenRerun(round, ['up', '--workers', String(base)], base);
      const bigger = base + 2;
      await killThenRerun(round, ['scale', String(bigger)], bigger);
      await killThenRerun(round, ['scale', '1'], 1);
    }
  });

  it('`up` after Redis was stopped by hand (docker stop) starts the same container again', async () => {
    const redisName = `${tc.name}-redis-1`;
    const before = await docker.getContainer(redisName).inspect();
    expect(before.State.Running).toBe(true);
    await docker.getContainer(redisName).stop({ t: 5 });
    const rerun = await runCli(['up', '--json'], tc.env);
    expect(rerun.stderr).not.toMatch(/guildhall: /);
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ state: 'running' });
    const after = await docker.getContainer(redisName).inspect();
    expect(after.Id).toBe(before.Id);
    expect(after.State.Running).toBe(true);
    rows.push(
      `| – | \`docker stop\` of Redis, then \`guildhall up\` | – | exited: 1 (Redis) | exit ${rerun.code} | 1 / 0 (same Redis container) | ${(await ours()).filter((c) => c.state === 'running').length} running | 0 / 0 |`,
    );
  });
});
