/**
 * Two supervisors on one cluster (issue 15): `guildhall console` and `guildhall supervise`, each
 * its own process. Only the lease holder acts (a removed worker is recreated once, by it); kill
 * -9 the holder and the other takes over within the lease time (LEASE_MS, plus a tick); SIGTERM
 * makes a supervisor give the lease back at once, and `status` says who supervises.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEASE_MS } from '../../main/supervisor/lease';
import { TICK_MS } from '../../main/supervisor/supervisor';
import { supervisorStatus } from '../../main/supervisor/supervisor-status';
import { runCli, startCli } from './helpers/run-cli';
import { engineState, events, until } from './helpers/supervisor-kit';
import { createTestCluster, docker, type TestCluster } from './helpers/test-cluster';

let cluster: TestCluster;
const children: ChildProcess[] = [];

beforeAll(async () => {
  cluster = await createTestCluster({ workers: 1 });
  await cluster.core.cluster.up();
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await cluster?.cleanup();
});

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('two supervisors on one cluster', () => {
  it('only the holder acts; the other takes over when it is killed', async () => {
    const consoleProcess = startCli(['console', '--port', '0', '--metrics-port', '0'], cluster.env);
    const superviseProcess = startCli(['supervise'], cluster.env);
    children.push(consoleProcess, superviseProcess);
    for (const child of children) {
      child.stdout!.resume();
      child.stderr!.resume();
    }
    const pids = [consoleProcess.pid, superviseProcess.pid];

    const holder = await until(
      'a supervisor to hold the lease',
      async () => (await supervisorStatus(cluster.core)).holder,
      30_000,
      200,
    );
    expect(pids).toContain(holder.pid);
    const [holding, other] =
      holder.pid === consoleProcess.pid
        ? [consoleProcess, superviseProcess]
        : [superviseProcess, consoleProcess];

    const status = await runCli(['status'], cluster.env);
    expect(status.stdout).toMatch(new RegExp(`Supervisor +${holder.id} since \\d{4}-`));

    // A removed worker comes back once, recreated by the holder only.
    const name = `${cluster.name}-worker-1`;
    const before = await engineState(name);
    await docker.getContainer(name).remove({ force: true });
    await until(
      'the worker to be back',
      async () => {
        const state = await engineState(name);
        return state?.running && state.id !== before!.id;
      },
      15_000,
    );
    const recreates = await until(
      'the recreate event',
      async () => {
        const found = (await events(cluster.core)).filter((e) => e.action === 'recreate');
        return found.length > 0 ? found : null;
      },
      5_000,
    );
    expect(recreates.map((e) => e.by)).toEqual([holder.id]);
    // `guildhall events` lists them, as JSON lines or as text.
    const listed = await runCli(['events', '--json'], cluster.env);
    expect(listed.code).toBe(0);
    const json = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(json).toContainEqual(expect.objectContaining({ action: 'recreate', target: name }));
    const text = await runCli(['events'], cluster.env);
    expect(text.stdout).toMatch(/action +recreate +worker-1 was missing/);

    // kill -9: no release; the lease lapses and the other takes it.
    holding.kill('SIGKILL');
    const killedAt = Date.now();
    const next = await until(
      'the other supervisor to take over',
      async () => {
        const h = (await supervisorStatus(cluster.core)).holder;
        return h && h.pid === other.pid ? h : null;
      },
      LEASE_MS + 10_000,
      100,
    );
    const takeover = Date.now() - killedAt;
    console.info(`${holder.face} killed; ${next.face} took over ${takeover} ms after kill -9`);
    expect(takeover).toBeLessThanOrEqual(LEASE_MS + 2 * TICK_MS);
    const acquired = await until(
      'the takeover event',
      async () =>
        (await events(cluster.core)).find((e) => e.action === 'acquire' && e.by === next.id),
      5_000,
    );
    expect(acquired.reason).toContain(`took over from ${holder.id}`);

    // SIGTERM: a clean exit gives the lease back at once.
    other.kill('SIGTERM');
    expect(await exited(other)).toBe(0);
    expect((await supervisorStatus(cluster.core)).holder).toBeNull();
    expect((await events(cluster.core)).at(-1)).toMatchObject({ action: 'release', by: next.id });
  }, 120_000);
});
