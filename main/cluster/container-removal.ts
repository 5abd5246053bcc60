/** Stopping and removing a container, tolerant of it being gone or already going. */
import type Dockerode from 'dockerode';

/**
 * Stops a container gracefully (SIGTERM, then SIGKILL after `stopSeconds`; 0 skips the stop) and
 * removes it; its volumes stay. Already stopped (304), gone (404) or being removed (409) is fine.
 */
export async function removeContainer(
  docker: Dockerode,
  idOrName: string,
  stopSeconds: number,
): Promise<void> {
  const container = docker.getContainer(idOrName);
  try {
    if (stopSeconds > 0) await container.stop({ t: stopSeconds });
  } catch (err) {
    const code = (err as { statusCode?: number }).statusCode;
    if (code !== 304 && code !== 404) throw err;
  }
  try {
    await container.remove({ force: true, v: false });
  } catch (err) {
    const code = (err as { statusCode?: number }).statusCode;
    if (code !== 404 && code !== 409) throw err;
  }
}
