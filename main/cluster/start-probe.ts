/**
 * Whether the engine can create and start a container at all (the diagnostics' "Engine starts
 * containers" check asks through ClusterContainers.probeStart).
 */
import type Dockerode from 'dockerode';
import { classifyContainerError } from '../engine/container-errors';

/** Label of the throwaway container, so a leftover one can be told apart from the cluster's. */
export const START_PROBE_LABEL = 'io.guildhall.start-probe';

/**
 * Creates and starts a throwaway container from `image` (`redis-server --version`, no network),
 * waits for it and removes it; throws the engine's refusal, classified
 * (engine/container-errors.ts).
 */
export async function probeContainerStart(
  docker: Dockerode,
  image: string,
  name: string,
): Promise<void> {
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
