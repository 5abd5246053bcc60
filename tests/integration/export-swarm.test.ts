/**
 * The exported compose file on Docker Swarm: the test makes the engine a single-node swarm,
 * deploys the file with `docker stack deploy` (local images: --resolve-image never), a job sent
 * through its Redis completes in its workers with the pool's secret, then removes the stack and
 * leaves the swarm, leaving the engine as it found it even when a step fails.
 *
 * Swarm mode changes the whole engine for as long as it lasts: run this file on its own, not
 * beside other files using the same engine (`npx vitest run --project integration
 * tests/integration/export-swarm.test.ts`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SECRET_NAME,
  eventually,
  exportedCluster,
  run,
  runExportedJob,
  type ExportFixture,
} from './helpers/export-kit';

let fx: ExportFixture;
/** Whether this test made the swarm (an engine already in one is left in it). */
let madeSwarm = false;
let deployed = false;

async function swarmState(): Promise<string> {
  const { stdout } = await run('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}']);
  return stdout.trim();
}

beforeAll(async () => {
  fx = await exportedCluster();
  if ((await swarmState()) === 'inactive') {
    await run('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1']);
    madeSwarm = true;
  }
}, 400_000);

afterAll(async () => {
  try {
    if (deployed) {
      await run('docker', ['stack', 'rm', fx.project]).catch(() => {});
      // The stack's network goes last; leaving before it is gone can strand it.
      await eventually(async () => {
        const { stdout } = await run('docker', [
          'network',
          'ls',
          '-q',
          '--filter',
          `label=com.docker.stack.namespace=${fx.project}`,
        ]);
        if (stdout.trim()) throw new Error('stack network still there');
      }, 60_000).catch(() => {});
      // Its Redis volume once the last task has stopped (a volume in use cannot go).
      await eventually(
        () => run('docker', ['volume', 'rm', '-f', `${fx.project}_redis-data`]),
        60_000,
      ).catch(() => {});
    }
  } finally {
    if (madeSwarm) await run('docker', ['swarm', 'leave', '--force']).catch(() => {});
    await fx?.tc.cleanup();
  }
}, 180_000);

describe('export compose on Swarm', () => {
  it('deploys with docker stack deploy: a job sent through its Redis completes', async () => {
    deployed = true;
    await run(
      'docker',
      [
        'stack',
        'deploy',
        '--resolve-image',
        'never',
        '-c',
        fx.composeFile,
        '-c',
        fx.swarmFile,
        fx.project,
      ],
      { cwd: fx.dir, timeout: 120_000 },
    );
    const result = await eventually(
      () => runExportedJob(fx, ['cat', `/run/secrets/${SECRET_NAME}`], 20_000),
      150_000,
    );
    expect(result).toMatchObject({ exitCode: 0, stdoutTail: fx.secretValue });
    const services = () =>
      run('docker', [
        'service',
        'ls',
        '--filter',
        `label=com.docker.stack.namespace=${fx.project}`,
        '--format',
        '{{.Name}} {{.Replicas}}',
      ]).then(({ stdout }) => {
        if (!stdout.includes(`${fx.project}_worker 2/2`)) throw new Error(stdout);
        return stdout;
      });
    expect(await eventually(services, 60_000)).toContain(`${fx.project}_probe 1/1`);
  }, 300_000);
});
