/**
 * Whether the engine can create and start a container at all. An engine can answer every API
 * call and still fail each start: on a restricted root (some CI sandboxes, nested containers)
 * Podman may not apply its default resource limits ("error setting rlimits … operation not
 * permitted"), and an engine may lack a runtime piece. The other checks would all pass there, so
 * this one starts a throwaway container from the Redis image (`redis-server --version`, no
 * network) and names the cause with the fix (engine/container-errors.ts). Skipped while the
 * cluster runs: its containers show the engine starts them.
 */
import { randomBytes } from 'node:crypto';
import type Dockerode from 'dockerode';
import { classifyContainerError } from '../../engine/container-errors';
import { inspectImage } from '../../images/images';
import { failed, passed, skipped, type DiagnosticCheck, type FixAction } from '../types';

const RETRY: FixAction = { id: 'retry', label: 'Check again' };

/** Label of the throwaway container, so a leftover one can be told apart from the cluster's. */
export const START_PROBE_LABEL = 'io.guildhall.start-probe';

async function tryStart(docker: Dockerode, image: string, name: string): Promise<void> {
  let container: Dockerode.Container;
  try {
    container = await docker.createContainer({
      name,
      Image: image,
      Cmd: ['redis-server', '--version'],
      Labels: { [START_PROBE_LABEL]: 'true' },
      HostConfig: { NetworkMode: 'none' },
    });
  } catch (err) {
    throw classifyContainerError(err, { action: 'create', name, image });
  }
  try {
    await container.start();
    await container.wait();
  } catch (err) {
    throw classifyContainerError(err, { action: 'start', name, image });
  } finally {
    await container.remove({ force: true }).catch(() => {});
  }
}

export const engineStartsContainersCheck: DiagnosticCheck = {
  id: 'engine.starts-containers',
  category: 'engine',
  title: 'Engine starts containers',
  documentation:
    'An engine may answer and still fail to start every container: for example when it may not apply its default resource limits (rlimits) on a restricted host, or lacks an init binary. Guildhall starts a throwaway container from the Redis image to find out, and names the cause and the fix.',
  applicable: () => true,
  async check(ctx) {
    const docker = await ctx.docker();
    if (!docker)
      return skipped('The engine could not be reached (see "Container engine reachable").');
    const status = await ctx.status();
    if (status?.state === 'running') {
      return passed("The cluster's containers run, so the engine starts containers.");
    }
    const image = (await ctx.spec()).redis.image;
    if (!(await inspectImage(docker, image))) {
      return skipped(`The Redis image ${image} is not there to try (see "Images present").`);
    }
    const name = `guildhall-start-probe-${randomBytes(3).toString('hex')}`;
    try {
      await tryStart(docker, image, name);
    } catch (err) {
      const error = err as ReturnType<typeof classifyContainerError>;
      return failed(error.message, [RETRY], error.hint ? [`Fix: ${error.hint}`] : []);
    }
    return passed(`The engine created and started a test container from ${image}.`);
  },
};
