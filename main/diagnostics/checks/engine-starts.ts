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
import type { classifyContainerError } from '../../engine/container-errors';
import { failed, passed, skipped, type DiagnosticCheck, type FixAction } from '../types';

const RETRY: FixAction = { id: 'retry', label: 'Check again' };

export const engineStartsContainersCheck: DiagnosticCheck = {
  id: 'engine.starts-containers',
  category: 'engine',
  title: 'Engine starts containers',
  documentation:
    'An engine may answer and still fail to start every container: for example when it may not apply its default resource limits (rlimits) on a restricted host, or lacks an init binary. Guildhall starts a throwaway container from the Redis image to find out, and names the cause and the fix.',
  applicable: () => true,
  async check(ctx) {
    const [containers, images] = await Promise.all([ctx.containers(), ctx.images()]);
    if (!containers || !images)
      return skipped('The engine could not be reached (see "Container engine reachable").');
    const status = await ctx.status();
    if (status?.state === 'running') {
      return passed("The cluster's containers run, so the engine starts containers.");
    }
    const image = (await ctx.spec()).redis.image;
    if (!(await images.inspect(image))) {
      return skipped(`The Redis image ${image} is not there to try (see "Images present").`);
    }
    const name = `guildhall-start-probe-${randomBytes(3).toString('hex')}`;
    try {
      await containers.probeStart(image, name);
    } catch (err) {
      const error = err as ReturnType<typeof classifyContainerError>;
      return failed(error.message, [RETRY], error.hint ? [`Fix: ${error.hint}`] : []);
    }
    return passed(`The engine created and started a test container from ${image}.`);
  },
};
