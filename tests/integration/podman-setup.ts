/**
 * Global setup of the integration-podman project: Podman's Docker-compatible API service must
 * answer on its socket with the offline base images loaded. scripts/ensure-podman.sh makes it so
 * (idempotent, quick when all is in place); when it cannot, the run fails with its reason, never
 * skips.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PODMAN_TEST_SOCKET } from './helpers/test-engine';

const root = path.resolve(import.meta.dirname, '..', '..');

export default function setup(): void {
  try {
    execFileSync('bash', [path.join(root, 'scripts', 'ensure-podman.sh')], {
      stdio: 'inherit',
      env: { ...process.env, GUILDHALL_PODMAN_SOCKET: PODMAN_TEST_SOCKET },
      timeout: 600_000,
    });
  } catch {
    throw new Error(
      `The Podman integration tests need Podman's API service on ${PODMAN_TEST_SOCKET} and it could not be made ready (see the output above). Run sudo bash scripts/ensure-podman.sh and run the tests again.`,
    );
  }
}
