/**
 * Planned reloads are not crashes (issue 12): a worker that restarts to load changed processor
 * files counts them as reloads in the cluster status, `doctor` stays green and no alert is
 * raised; the same worker crashing three times is still a crash loop for doctor and for the
 * process's one alert monitor (whose alerts the console receives as 'alerts' events). Real
 * engine, real Redis, real worker containers.
 */
import fs from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServices } from '../../main/api/context';
import { runCheck } from '../../main/diagnostics/diagnostics';
import type { Alert } from '../../main/monitor/alerts';
import {
  connectionFromUrl,
  heartbeats,
  makeProcessorsDir,
  openRedis,
  writeProcessor,
} from './helpers/cluster-jobs-kit';
import { doctorCli, waitFor } from './helpers/diagnostics-helpers';
import { runCli } from './helpers/run-cli';
import { createTestCluster, docker, type TestCluster } from './helpers/test-cluster';

/**
 * Signals go to the worker's processes as the worker's own user: its containers keep no
 * capabilities, so root inside could not signal another user's process.
 */
const WORKER_USER = '1000:1000';

let tc: TestCluster;
let dir: string;

beforeAll(async () => {
  dir = await makeProcessorsDir();
  await writeProcessor(dir, 'resize.js', 'module.exports = async () => ({ version: 0 });\n');
  tc = await createTestCluster({ workers: 1 });
  await tc.core.settings.update((s) => ({
    ...s,
    cluster: { ...s.cluster, workers: { ...s.cluster.workers, processorsDir: dir } },
  }));
  await tc.core.cluster.up();
});

afterAll(async () => {
  await tc?.cleanup();
  await fs.rm(dir, { recursive: true, force: true });
});

async function engineRestarts(container: string): Promise<{ count: number; running: boolean }> {
  const info = await docker.getContainer(container).inspect();
  return { count: info.RestartCount, running: info.State.Status === 'running' };
}

describe('worker reloads and crashes', () => {
  it('saving a processor file three times: 3 reloads, 0 restarts, doctor green, no alert; 3 real crashes are a crash loop', async () => {
    const worker = `${tc.name}-worker-1`;
    const services = new ApiServices({ core: tc.core });
    const alertEvents: Alert[][] = [];
    const subscription = services.hub.subscribe({ topics: ['alerts'] });
    const reading = (async () => {
      for await (const event of subscription) {
        if (event.topic === 'alerts') alertEvents.push(event.data.active as Alert[]);
      }
    })();
    const redis = await openRedis(connectionFromUrl(await tc.core.cluster.connectionUrl()));
    try {
      // The baseline the alert monitor starts from.
      services.offerClusterStatus(await tc.core.cluster.status());
      for (let save = 1; save <= 3; save++) {
        // A new process watches the files from its start: save once it beats.
        await waitFor('the worker to beat', async () => {
          const beat = (await heartbeats(redis, tc.name)).get(worker);
          return beat !== undefined && beat.state !== 'stopping';
        });
        await writeProcessor(
          dir,
          'resize.js',
          `module.exports = async () => ({ version: ${save} });\n`,
        );
        await waitFor(`reload ${save}`, async () => {
          const { count, running } = await engineRestarts(worker);
          return count >= save && running;
        });
        services.offerClusterStatus(await tc.core.cluster.status());
      }
      const status = await waitFor('the reloaded worker to be healthy', async () => {
        const s = await tc.core.cluster.status();
        return s.workers[0]?.health === 'healthy' ? s : null;
      });
      expect(status.workers[0]).toMatchObject({ name: worker, reloads: 3, restartCount: 0 });
      const check = await runCheck(tc.core, 'workers.healthy', { env: tc.env });
      expect(check?.status, check?.message).toBe('passed');
      const doctor = await doctorCli([], tc.env);
      expect(doctor.stdout).not.toMatch(/worker-1 (is crash-looping|restarted)/);
      expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
      const statusCli = await runCli(['status', '--json'], tc.env);
      expect(JSON.parse(statusCli.stdout).workers[0]).toMatchObject({
        reloads: 3,
        restartCount: 0,
      });
      expect(services.alerts.active()).toEqual([]);

      // Real crashes: the processes inside killed (not a stop), three times.
      for (let kill = 1; kill <= 3; kill++) {
        const before = (await engineRestarts(worker)).count;
        const exec = await docker
          .getContainer(worker)
          .exec({ Cmd: ['sh', '-c', 'kill -9 -1'], User: WORKER_USER });
        await exec.start({});
        await waitFor(`crash ${kill}`, async () => {
          const { count, running } = await engineRestarts(worker);
          return count > before && running;
        });
        services.offerClusterStatus(await tc.core.cluster.status());
      }
      const crashed = await tc.core.cluster.status();
      expect(crashed.workers[0]).toMatchObject({ reloads: 3, restartCount: 3 });
      const outcome = await runCheck(tc.core, 'workers.healthy', { env: tc.env });
      expect(outcome?.status).toBe('failed');
      expect(outcome?.message).toMatch(
        /worker-1 is crash-looping: restarted 3 times, last exit code 137/,
      );
      expect(services.alerts.active()).toMatchObject([
        { kind: 'worker-crash-loop', worker, restarts: 3 },
      ]);
      await waitFor('the alerts event', async () => alertEvents.at(-1)?.length === 1);
      expect(alertEvents.at(-1)).toMatchObject([{ kind: 'worker-crash-loop', worker }]);
    } finally {
      redis.disconnect();
      subscription.close();
      await reading;
      await services.close();
    }
  });
});
