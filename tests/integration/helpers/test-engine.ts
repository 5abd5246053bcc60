/**
 * The engine the integration tests run against. By default the machine's Docker engine; in the
 * `integration-podman` project (vitest.config.ts) GUILDHALL_TEST_ENGINE=podman and DOCKER_HOST
 * point everything at Podman's Docker-compatible API service (started by scripts/
 * ensure-podman.sh): the core finds it through DOCKER_HOST as a user's would, the `docker` CLI
 * calls of the helpers follow DOCKER_HOST too, and these helpers' own client uses its socket.
 */
import Dockerode from 'dockerode';

export type TestEngineName = 'docker' | 'podman';

/** Where scripts/ensure-podman.sh serves Podman's API (GUILDHALL_PODMAN_SOCKET overrides it). */
export const PODMAN_TEST_SOCKET =
  process.env.GUILDHALL_PODMAN_SOCKET ?? '/run/guildhall-podman/podman.sock';

export const testEngineName: TestEngineName =
  process.env.GUILDHALL_TEST_ENGINE === 'podman' ? 'podman' : 'docker';

export const testEngineSocket =
  testEngineName === 'podman' ? PODMAN_TEST_SOCKET : '/var/run/docker.sock';

/** A client of the engine under test. */
export function testEngineClient(): Dockerode {
  return new Dockerode({ socketPath: testEngineSocket });
}
