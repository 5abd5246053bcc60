/**
 * Container create/start errors, classified from the errors real engines sent (dockerode's
 * Error with statusCode): Podman 4.3.1 (Debian bookworm, API service on a socket) and Docker
 * 20.10 (Debian's docker.io), captured on the CI host.
 */
import { describe, expect, it } from 'vitest';
import {
  classifyContainerError,
  engineErrorText,
  isNameConflict,
  RLIMITS_HINT,
} from '../../main/engine/container-errors';
import { exitCodeFor, EXIT } from '../../main/cli/exit-codes';

/** An error as dockerode builds it from the engine's answer. */
function engineError(statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { statusCode });
}

const PODMAN_RLIMITS = engineError(
  500,
  '(HTTP code 500) server error - runc: runc create failed: unable to start container process: error during container init: error setting rlimits for ready process: error setting rlimit type 7: operation not permitted: OCI permission denied ',
);
const PODMAN_RLIMITS_NPROC = engineError(
  500,
  '(HTTP code 500) server error - runc: runc create failed: unable to start container process: error during container init: error setting rlimits for ready process: error setting rlimit type 6: operation not permitted: OCI permission denied ',
);
const PODMAN_NO_CATATONIT = engineError(
  500,
  '(HTTP code 500) server error - container create: container-init binary not found on the host: stat /usr/libexec/podman/catatonit: no such file or directory ',
);
const PODMAN_NO_IMAGE = engineError(
  404,
  '(HTTP code 404) no such container - no such image: docker.io/ghpodmantest/nope:1: image not known ',
);
const DOCKER_NO_IMAGE = engineError(
  404,
  '(HTTP code 404) no such container - No such image: ghpodmantest/nope:1 ',
);
const PODMAN_NO_EXECUTABLE = engineError(
  500,
  '(HTTP code 500) server error - runc: runc create failed: unable to start container process: exec: "no-such-program": executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found ',
);
const DOCKER_NO_EXECUTABLE = engineError(
  400,
  '(HTTP code 400) unexpected - failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "no-such-program": executable file not found in $PATH: unknown ',
);

const redis = { name: 'guildhall-redis-1', image: 'redis:7.4-bookworm' };

describe('classifyContainerError', () => {
  it('names the rlimits failure and the default_ulimits fix (Podman on a restricted root)', () => {
    for (const error of [PODMAN_RLIMITS, PODMAN_RLIMITS_NPROC]) {
      const classified = classifyContainerError(error, { action: 'start', ...redis });
      expect(classified.code).toBe('engine-failed');
      expect(classified.details?.reason).toBe('rlimits');
      expect(classified.message).toMatch(
        /^The engine could not start guildhall-redis-1: it is not allowed to apply its default resource limits \(rlimits\)/,
      );
      expect(classified.message).toContain('error setting rlimits for ready process');
      expect(classified.message).toContain('operation not permitted');
      expect(classified.message).not.toContain('HTTP code');
      expect(classified.hint).toBe(RLIMITS_HINT);
      expect(classified.hint).toContain('default_ulimits');
      expect(exitCodeFor(classified.code)).toBe(EXIT.engine);
    }
  });

  it('names a missing init binary (Podman without catatonit) with its fix', () => {
    const classified = classifyContainerError(PODMAN_NO_CATATONIT, {
      action: 'create',
      ...redis,
    });
    expect(classified.code).toBe('engine-failed');
    expect(classified.details?.reason).toBe('init-binary-missing');
    expect(classified.message).toContain('could not create guildhall-redis-1');
    expect(classified.message).toContain(
      'container-init binary not found on the host: stat /usr/libexec/podman/catatonit',
    );
    expect(classified.hint).toMatch(/catatonit/);
  });

  it('tells a missing image apart, on Podman and on Docker', () => {
    for (const error of [PODMAN_NO_IMAGE, DOCKER_NO_IMAGE]) {
      const classified = classifyContainerError(error, { action: 'create', ...redis });
      expect(classified.code).toBe('image-missing');
      expect(classified.details?.reason).toBe('image-missing');
      expect(classified.message).toContain('its image redis:7.4-bookworm is not there');
      expect(classified.hint).toMatch(/guildhall up/);
      expect(exitCodeFor(classified.code)).toBe(EXIT.image);
    }
  });

  it('tells an image without the program apart, on Podman and on Docker', () => {
    for (const error of [PODMAN_NO_EXECUTABLE, DOCKER_NO_EXECUTABLE]) {
      const classified = classifyContainerError(error, { action: 'start', ...redis });
      expect(classified.code).toBe('image-missing');
      expect(classified.details?.reason).toBe('command-not-found');
      expect(classified.message).toContain('executable file not found in $PATH');
      expect(classified.hint).toMatch(/redis-server/);
    }
  });

  it('wraps anything else as an engine failure in the engine’s words, with a next step', () => {
    const classified = classifyContainerError(
      engineError(500, '(HTTP code 500) server error - something new went wrong\nmore detail'),
      { action: 'create', name: 'guildhall-worker-3' },
    );
    expect(classified.code).toBe('engine-failed');
    expect(classified.details?.reason).toBe('unknown');
    expect(classified.message).toBe(
      'The engine could not create guildhall-worker-3: something new went wrong',
    );
    expect(classified.hint).toMatch(/guildhall doctor/);
  });

  it('reads the engine’s own words without dockerode’s prefix', () => {
    expect(engineErrorText(PODMAN_NO_CATATONIT)).toMatch(/^container create: container-init/);
    expect(engineErrorText('plain text')).toBe('plain text');
  });
});

describe('isNameConflict', () => {
  it('recognises a taken name: Docker’s 409 and Podman’s 500', () => {
    expect(
      isNameConflict(
        engineError(
          409,
          '(HTTP code 409) unexpected - Conflict. The container name "/ghpodmantest-conflict" is already in use by container "571c59f326ca2be4b0b96f10e5bdc1225cfd8bbf2456476f3aa34621ff89b956". You have to remove (or rename) that container to be able to reuse that name. ',
        ),
      ),
    ).toBe(true);
    expect(
      isNameConflict(
        engineError(
          500,
          '(HTTP code 500) server error - container create: creating container storage: the container name "ghpodmantest-conflict" is already in use by ee0dd4b0025637884ddb4dda0575935f8de5d6d9c3440debc0e25fa67f6978c7. You have to remove that container to be able to reuse that name: that name is already in use ',
        ),
      ),
    ).toBe(true);
    expect(isNameConflict(PODMAN_RLIMITS)).toBe(false);
    expect(isNameConflict(PODMAN_NO_CATATONIT)).toBe(false);
  });
});
