/**
 * Diagnostics against a real engine, real Redis and real BullMQ workers: a healthy cluster
 * passes; Redis stopped behind the app's back, a crash-looping worker, stalled jobs and a port
 * taken by another program are each detected, and the offered fixes repair them; the support
 * bundle never contains the password; `guildhall doctor` exits 0 / 7.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryReachable } from '../../main/images/pull-reach';
import { createCore } from '../../main/core';
import { applyFix, runCheck, runDiagnostics } from '../../main/diagnostics/diagnostics';
import { createSupportBundle } from '../../main/diagnostics/support-bundle';
import type { CheckOutcome } from '../../main/diagnostics/types';
import { WORKER_USER } from '../../main/shared/worker-contract';
import { crashOnce, doctorCli, unzipAll, waitFor } from './helpers/diagnostics-helpers';
import {
  createTestCluster,
  docker,
  workerContextDir,
  type TestCluster,
} from './helpers/test-cluster';

/**
 * Signals go to the worker's processes as the worker's own user: its containers keep no
 * capabilities, so root inside could not signal another user's process.
 */

let cluster: TestCluster;
let password: string;
let scratch: string;

function describeResults(results: CheckOutcome[]): string {
  return results.map((r) => `${r.id}: ${r.status} — ${r.message}`).join('\n');
}

beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'ghdiag-'));
  cluster = await createTestCluster({ workers: 2 });
  await cluster.core.cluster.up();
  password = await cluster.core.cluster.password(cluster.name);
});

afterAll(async () => {
  await cluster?.cleanup();
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('diagnostics against a real cluster', () => {
  it('a healthy cluster passes every check', async () => {
    const report = await runDiagnostics(cluster.core, { env: cluster.env });
    const ids = report.results.map((r) => r.id);
    expect(ids).toEqual([
      'engine.reachable',
      'engine.api-version',
      'engine.socket-permission',
      'engine.docker-cli-target',
      'engine.starts-containers',
      'network.redis-port',
      'network.cluster-objects',
      'images.present',
      'redis.container',
      'redis.config',
      'workers.healthy',
      'jobs.stalling',
      'host.disk',
      'host.memory',
    ]);
    const notPassed = report.results.filter((r) => r.status !== 'passed');
    expect(describeResults(notPassed)).toBe('');
    expect(report.failed).toBe(false);
    const byId = new Map(report.results.map((r) => [r.id, r]));
    expect(byId.get('network.redis-port')!.message).toContain(`Port ${cluster.port}`);
    expect(byId.get('redis.config')!.message).toMatch(/noeviction.*AOF/);
    expect(byId.get('workers.healthy')!.message).toMatch(/All 2 worker/);
    expect(JSON.stringify(report)).not.toContain(password);
  });

  it('guildhall doctor exits 0 on the healthy cluster and prints one line per check', async () => {
    const result = await doctorCli([], cluster.env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter((l) => /^[✔⚠✖–] /.test(l));
    expect(lines).toHaveLength(14);
    expect(lines.every((l) => l.startsWith('✔ '))).toBe(true);
    expect(result.stdout).toMatch(/14 passed, 0 warning\(s\), 0 failed/);
  });

  it('warns when the docker CLI points at another engine than the pinned one', async () => {
    const env = { ...cluster.env, DOCKER_HOST: 'unix:///tmp/ghdiag-elsewhere.sock' };
    const core = createCore({ home: cluster.home, version: 'test', workerContextDir, env });
    await core.settings.update((s) => ({
      ...s,
      engine: { pinned: 'unix:///var/run/docker.sock' },
    }));
    try {
      const outcome = await runCheck(core, 'engine.docker-cli-target', { env });
      expect(outcome?.status).toBe('warning');
      expect(outcome?.message).toContain('unix:///tmp/ghdiag-elsewhere.sock (DOCKER_HOST)');
      expect(outcome?.message).toContain('/var/run/docker.sock');
    } finally {
      await core.settings.update((s) => ({ ...s, engine: { pinned: null } }));
    }
  });

  it("Redis stopped behind the app's back: the check fails, doctor exits 7, recreate-redis repairs it and keeps the data", async () => {
    const redisName = `${cluster.name}-redis-1`;
    const direct = new Redis({
      host: '127.0.0.1',
      port: cluster.port,
      password,
      lazyConnect: true,
    });
    await direct.connect();
    await direct.set('ghdiag:kept', 'yes');
    await direct.quit();

    await docker.getContainer(redisName).stop({ t: 5 });
    const broken = await runCheck(cluster.core, 'redis.container', { env: cluster.env });
    expect(broken?.status).toBe('failed');
    expect(broken?.message).toContain(`${redisName} is exited`);
    expect(broken?.fixes.map((f) => f.id)).toEqual(['restart-cluster', 'recreate-redis']);

    const cli = await doctorCli([], cluster.env);
    expect(cli.code).toBe(7);
    expect(cli.stdout).toMatch(/^✖ Redis running and password accepted: .*exited/m);
    expect(cli.stdout).toContain('fix: guildhall doctor --fix recreate-redis');
    expect(cli.stdout + cli.stderr).not.toContain(password);

    const json = await doctorCli(['--json'], cluster.env);
    expect(json.code).toBe(7);
    const parsed = JSON.parse(json.stdout) as { failed: boolean; results: CheckOutcome[] };
    expect(parsed.failed).toBe(true);
    expect(parsed.results.find((r) => r.id === 'redis.container')?.status).toBe('failed');

    const { outcome, recheck } = await applyFix(cluster.core, 'recreate-redis', {
      checkId: 'redis.container',
      env: cluster.env,
    });
    expect(outcome.message).toMatch(/recreated/);
    expect(recheck?.status).toBe('passed');
    const after = new Redis({ host: '127.0.0.1', port: cluster.port, password, lazyConnect: true });
    await after.connect();
    expect(await after.get('ghdiag:kept')).toBe('yes');
    await after.quit();
  });

  it('a crash-looping worker fails the workers check with exit code 137; jobs it held stall; recreate-worker repairs it', async () => {
    const queue = new Queue('sleep', {
      connection: { host: '127.0.0.1', port: cluster.port, password },
    });
    const worker1 = `${cluster.name}-worker-1`;
    try {
      await queue.addBulk(
        Array.from({ length: 16 }, (_, i) => ({ name: `hold-${i}`, data: { ms: 45_000 } })),
      );
      // Both workers pick jobs up before the first kill, so worker-1 dies holding some.
      await waitFor('worker-1 to hold active jobs', async () =>
        (await queue.getActive()).some((job) => job.processedBy === worker1),
      );
      for (let kill = 1; kill <= 3; kill++) await crashOnce(docker, worker1);
      const outcome = await runCheck(cluster.core, 'workers.healthy', { env: cluster.env });
      expect(outcome?.status).toBe('failed');
      expect(outcome?.message).toMatch(
        /worker-1 is crash-looping: restarted 3 times, last exit code 137/,
      );
      expect(outcome?.fixes.map((f) => f.id)).toEqual(['restart-worker:1', 'recreate-worker:1']);

      // The jobs worker-1 held lose their lock (10 s) and the next stalled check (5 s) reports them.
      const stalled = await waitFor(
        'stalled jobs to be reported',
        async () => {
          const result = await runCheck(cluster.core, 'jobs.stalling', { env: cluster.env });
          return result && result.status !== 'passed' ? result : null;
        },
        60_000,
      );
      expect(stalled.status).toBe('warning');
      expect(stalled.message).toMatch(/^\d+ job stall\(s\) in the last 15 minutes/);
      expect(stalled.details?.[0]).toMatch(/^sleep: \d+ stalled/);

      const fixed = await applyFix(cluster.core, 'recreate-worker:1', {
        checkId: 'workers.healthy',
        env: cluster.env,
      });
      expect(fixed.recheck?.status).toBe('passed');
      expect((await docker.getContainer(worker1).inspect()).RestartCount).toBe(0);
    } finally {
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    }
  });

  it('a worker whose program hangs is flagged by its missing heartbeat, whatever the engine’s healthcheck says', async () => {
    // Guildhall's own check works without the engine's healthchecks (Podman without systemd
    // never runs them; Docker's runs in a fresh process, which still reaches Redis).
    const worker2 = `${cluster.name}-worker-2`;
    const signalNode = async (signal: 'STOP' | 'CONT') => {
      const exec = await docker.getContainer(worker2).exec({
        Cmd: [
          'sh',
          '-c',
          `for p in /proc/[0-9]*; do [ "$(cat $p/comm)" = node ] && kill -${signal} \${p#/proc/}; done; true`,
        ],
        User: WORKER_USER,
        AttachStdout: true,
        AttachStderr: true,
      });
      const stream = await exec.start({});
      stream.resume();
      await new Promise((resolve) => stream.on('end', resolve));
    };
    await signalNode('STOP');
    try {
      const outcome = await waitFor(
        'worker-2 to be flagged',
        async () => {
          const result = await runCheck(cluster.core, 'workers.healthy', { env: cluster.env });
          return result?.status === 'failed' ? result : null;
        },
        40_000,
      );
      expect(outcome.message).toMatch(/worker-2 runs but sends no heartbeat to Redis/);
      const status = await cluster.core.cluster.status();
      expect(status.workers.find((w) => w.number === 2)?.health).toBe('unhealthy');
      expect(status.state).toBe('degraded');
    } finally {
      await signalNode('CONT');
    }
    await waitFor('worker-2 to be healthy again', async () => {
      const status = await cluster.core.cluster.status();
      return status.workers.find((w) => w.number === 2)?.health === 'healthy' ? true : null;
    });
  });

  it('the support bundle holds logs, settings, inspect output and results, and never the password', async () => {
    // Plant the password where only scrubbing can remove it: a raw app-log line (as an old
    // version might have written) and a worker env value under an innocent-looking name.
    // Secrets under names no key pattern catches: every env value goes, the names stay.
    const innocentNames = {
      STRIPE_KEY: 'sk_live_bundle',
      AWS_ACCESS_KEY_ID: 'AKIABUNDLE',
      GITHUB_PAT: 'ghp_bundle',
      SIGNING_KEY: 'sig-bundle',
      SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/bundle',
    };
    const logFile = path.join(cluster.home, 'logs', 'guildhall.log');
    await fs.mkdir(path.dirname(logFile), { recursive: true });
    await fs.appendFile(
      logFile,
      `${JSON.stringify({ msg: `leak ${password}`, b64: Buffer.from(password).toString('base64') })}\n`,
    );
    await cluster.core.settings.update((s) => ({
      ...s,
      cluster: {
        ...s.cluster,
        workers: { ...s.cluster.workers, env: { HELLO_NOTE: password, ...innocentNames } },
      },
    }));
    const file = path.join(scratch, 'support.zip');
    try {
      const bundle = await createSupportBundle(cluster.core, file, { env: cluster.env });
      expect(bundle.file).toBe(file);
      const entries = await unzipAll(file);
      const names = [...entries.keys()];
      expect(names).toEqual(
        expect.arrayContaining([
          'README.txt',
          'settings.json',
          'diagnostics.json',
          'engine.json',
          'host.json',
          'cluster-status.json',
          'app-logs/guildhall.log',
          `containers/${cluster.name}-redis-1/inspect.json`,
          `containers/${cluster.name}-redis-1/logs.txt`,
          `containers/${cluster.name}-worker-1/inspect.json`,
          `containers/${cluster.name}-worker-2/logs.txt`,
        ]),
      );
      expect(bundle.entries.sort()).toEqual(names.sort());
      const readme = entries.get('README.txt')!.toString();
      for (const name of names.filter((n) => n !== 'README.txt')) expect(readme).toContain(name);

      const forms = [
        password,
        Buffer.from(password).toString('base64').replace(/=+$/, ''),
        Buffer.from(password).toString('base64url'),
      ];
      for (const [name, content] of entries) {
        const text = content.toString('utf8');
        for (const form of forms)
          expect(text.includes(form), `${name} contains the password`).toBe(false);
      }
      const appLog = entries.get('app-logs/guildhall.log')!.toString();
      expect(appLog).toContain('leak «redacted»');
      const settings = JSON.parse(entries.get('settings.json')!.toString());
      expect(settings.cluster.name).toBe(cluster.name);
      expect(settings.cluster.workers.env.HELLO_NOTE).toBe('«redacted»');
      for (const name of Object.keys(innocentNames))
        expect(settings.cluster.workers.env[name]).toBe('«redacted»');
      for (const value of Object.values(innocentNames))
        expect(entries.get('settings.json')!.toString()).not.toContain(value);
      const inspect = JSON.parse(
        entries.get(`containers/${cluster.name}-worker-1/inspect.json`)!.toString(),
      );
      expect(inspect.Config.Env).toContain(
        'GUILDHALL_REDIS_PASSWORD_FILE=/run/guildhall/redis-password',
      );
      const engine = JSON.parse(entries.get('engine.json')!.toString());
      expect(engine).toMatchObject({
        version: expect.stringMatching(/^\d+\.\d+/),
        apiVersion: expect.stringMatching(/^1\.\d+/),
      });
      expect(engine.endpoint.label).toBeTruthy();
      const redisLog = entries.get(`containers/${cluster.name}-redis-1/logs.txt`)!.toString();
      expect(redisLog).toMatch(/Ready to accept connections/);
    } finally {
      await cluster.core.settings.update((s) => ({
        ...s,
        cluster: { ...s.cluster, workers: { ...s.cluster.workers, env: {} } },
      }));
    }
  });

  it('guildhall doctor --bundle writes the bundle and prints its path', async () => {
    const file = path.join(scratch, 'cli-bundle.zip');
    const result = await doctorCli(['--bundle', file], cluster.env);
    expect([0, 7]).toContain(result.code);
    expect(result.stdout).toContain(`Support bundle written to ${file}`);
    const entries = await unzipAll(file);
    expect(entries.has('diagnostics.json')).toBe(true);
    // The alerts' state, as in the bundles the console makes.
    expect(JSON.parse(entries.get('alerts.json')!.toString())).toMatchObject({
      active: [],
      deliveries: [],
      webhooks: [],
    });
  });

  it('a port taken by another program fails the port check with the next free port; the fix moves the port', async () => {
    await cluster.core.cluster.down();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(cluster.port, '127.0.0.1', resolve));
    try {
      const outcome = await runCheck(cluster.core, 'network.redis-port', { env: cluster.env });
      expect(outcome?.status).toBe('failed');
      // The OS tells who holds it: this test's own process.
      expect(outcome?.message).toMatch(
        new RegExp(
          `^Port ${cluster.port} on 127\\.0\\.0\\.1 is in use by .+ \\(pid ${process.pid}\\)\\.$`,
        ),
      );
      const next = Number(/next free port is (\d+)/.exec(outcome?.details?.[0] ?? '')?.[1]);
      expect(next).toBeGreaterThan(cluster.port);
      expect(outcome?.fixes).toEqual([
        { id: 'choose-free-port', label: `Use port ${next} for Redis instead` },
      ]);

      const cli = await doctorCli([], cluster.env);
      expect(cli.code).toBe(7);
      expect(cli.stdout).toContain('fix: guildhall doctor --fix choose-free-port');

      const { outcome: moved, recheck } = await applyFix(cluster.core, 'choose-free-port', {
        checkId: 'network.redis-port',
        env: cluster.env,
      });
      const { settings } = await cluster.core.settings.load();
      expect(settings.cluster.redis.port).toBe(next);
      expect(moved.message).toContain(String(next));
      expect(recheck?.status).toBe('passed');
      expect(recheck?.message).toContain(`Port ${next}`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('a missing image is reported with load (and, where a registry resolves, pull) fixes', async () => {
    const home = await fs.mkdtemp(path.join(scratch, 'images-'));
    const env = {
      ...cluster.env,
      GUILDHALL_HOME: home,
      GUILDHALL_WORKER_BASE_IMAGE: 'ghdiag-missing/none:1',
    };
    const core = createCore({ home, version: 'test', workerContextDir, env });
    const outcome = await runCheck(core, 'images.present', { env });
    expect(outcome?.status).toBe('warning'); // no cluster yet: `up` would fetch it
    expect(outcome?.message).toContain('worker base image ghdiag-missing/none:1');
    // A pull is offered only when it can work: this host may have no registry (pull-reach.ts).
    const pullable = await registryReachable('ghdiag-missing/none:1');
    expect(outcome?.fixes.map((f) => f.id)).toEqual(
      pullable ? ['pull-image:worker-base', 'load-image'] : ['load-image'],
    );
  });
});
