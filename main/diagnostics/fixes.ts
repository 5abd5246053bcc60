/**
 * Runs a fix offered by a check, by id, with the core's services. Ids may carry a target:
 * `restart-worker:2`. Destructive fixes need their confirmation text typed exactly.
 *
 *   retry                  nothing (the caller checks again)
 *   choose-free-port       next free port after the current one → settings; Redis is recreated
 *                          on it when the cluster exists
 *   start-cluster          `up`: creates or starts whatever is missing
 *   restart-cluster        stop every container (workers first), then `up`
 *   recreate-redis         remove the Redis container (the data volume stays), then `up`
 *   restart-worker:N       restart worker N's container (graceful stop)
 *   recreate-worker:N      remove worker N's container, then `up`
 *   pull-image:redis | pull-image:worker-base, build-worker-image, load-image (needs `file`)
 *   reset-cluster          `down` + `up`, Redis data kept
 *   reset-cluster-wipe     `down --volumes` + `up`: deletes every job; confirm = cluster name
 *   factory-reset          settings.json is moved aside as a backup and defaults load; confirm =
 *                          FACTORY_RESET_CONFIRM. Secrets are KEPT: the Redis password guards
 *                          the data on the volume, and a new one would only recreate Redis.
 *                          Containers are not touched.
 */
import { removeContainer } from '../cluster/container-removal';
import fs from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { clusterFilter, containerName } from '../cluster/naming';
import type { Core } from '../core';
import { loadImageTarball, pullImage } from '../images/images';
import { ensureWorkerImage } from '../images/worker-image';
import { GuildhallError } from '../util/errors';
import { nextFreePort } from '../cluster/port-status';
import { noProgress, type ProgressSink } from '../util/progress';
import type { FixAction } from './types';

export const FACTORY_RESET_CONFIRM = 'reset settings';

export interface FixOptions {
  /** Typed confirmation for destructive fixes. */
  confirm?: string;
  /** A file for `load-image`. */
  file?: string;
  onProgress?: ProgressSink;
}

export interface FixOutcome {
  fixId: string;
  /** What was done, for the user. */
  message: string;
}

/** Cluster-wide actions for the troubleshooting page, offered whatever the checks say. */
export function generalFixes(cluster: string): FixAction[] {
  return [
    { id: 'restart-cluster', label: 'Restart the cluster' },
    { id: 'reset-cluster', label: 'Reset the cluster (keeps Redis data)' },
    {
      id: 'reset-cluster-wipe',
      label: 'Reset the cluster and delete all Redis data',
      destructive: true,
      confirm: cluster,
    },
    {
      id: 'factory-reset',
      label: 'Reset all settings to defaults (keeps a backup)',
      destructive: true,
      confirm: FACTORY_RESET_CONFIRM,
    },
  ];
}

function workerNumber(arg: string | undefined, fixId: string): number {
  const n = Number(arg);
  if (!arg || !Number.isInteger(n) || n < 1) {
    throw new GuildhallError(
      'invalid-input',
      `Fix "${fixId}" needs a worker number, e.g. ${fixId.split(':')[0]}:1.`,
    );
  }
  return n;
}

function requireConfirmation(fixId: string, expected: string, given: string | undefined): void {
  if (given !== expected) {
    throw new GuildhallError(
      'invalid-input',
      `"${fixId}" deletes data or settings and needs confirmation.`,
      `Type "${expected}" to confirm (CLI: --confirm "${expected}").`,
    );
  }
}

/** False when the engine cannot be reached: then only settings can change. */
async function clusterHasContainers(core: Core, cluster: string): Promise<boolean> {
  let docker: Dockerode;
  try {
    docker = (await core.engine()).docker;
  } catch {
    return false;
  }
  const list = await docker.listContainers({ all: true, filters: clusterFilter(cluster) });
  return list.length > 0;
}

/** Runs one fix; throws a GuildhallError when the id is unknown or the fix fails. */
export async function runFix(
  core: Core,
  fixId: string,
  options: FixOptions = {},
): Promise<FixOutcome> {
  const onProgress = options.onProgress ?? noProgress;
  const [name, arg] = fixId.split(':', 2);
  const { spec } = await core.cluster.spec();
  const done = (message: string): FixOutcome => ({ fixId, message });
  const docker = async () => (await core.engine()).docker;
  const up = () => core.cluster.up({ onProgress });

  switch (name) {
    case 'retry':
      return done('Checked again.');

    case 'choose-free-port': {
      const next = await nextFreePort(spec.redis.port);
      if (!next) {
        throw new GuildhallError(
          'port-in-use',
          `No free port was found after ${spec.redis.port}.`,
          'Free a port, or set one in Settings.',
        );
      }
      if (await clusterHasContainers(core, spec.name)) {
        await core.cluster.up({ redisPort: next, onProgress });
        return done(
          `Redis now listens on 127.0.0.1:${next}; connection URLs changed (guildhall connect).`,
        );
      }
      await core.settings.update((s) => ({
        ...s,
        cluster: { ...s.cluster, redis: { ...s.cluster.redis, port: next } },
      }));
      return done(`Redis will use port ${next}; the cluster was not started.`);
    }

    case 'start-cluster':
      await up();
      return done('The cluster is up.');

    case 'restart-cluster': {
      const engine = await docker();
      const containers = await engine.listContainers({
        all: true,
        filters: clusterFilter(spec.name),
      });
      const stop = async (info: Dockerode.ContainerInfo) => {
        if (info.State !== 'running' && info.State !== 'restarting') return;
        await engine
          .getContainer(info.Id)
          .stop({ t: spec.workers.stopTimeoutSeconds })
          .catch((err: { statusCode?: number }) => {
            if (err.statusCode !== 304 && err.statusCode !== 404) throw err;
          });
      };
      const isRedis = (info: Dockerode.ContainerInfo) =>
        info.Labels?.['io.guildhall.service'] === 'redis';
      await Promise.all(containers.filter((c) => !isRedis(c)).map(stop));
      await Promise.all(containers.filter(isRedis).map(stop));
      await up();
      return done('The cluster was restarted.');
    }

    case 'recreate-redis':
      await removeContainer(await docker(), containerName(spec.name, 'redis', 1), 10);
      await up();
      return done('The Redis container was recreated; its data volume was kept.');

    case 'restart-worker': {
      const n = workerNumber(arg, fixId);
      const target = containerName(spec.name, 'worker', n);
      try {
        await (await docker()).getContainer(target).restart({ t: spec.workers.stopTimeoutSeconds });
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) {
          throw new GuildhallError(
            'not-found',
            `There is no container ${target}.`,
            'Use the fix "start-cluster" to create it.',
          );
        }
        throw err;
      }
      return done(`worker-${n} was restarted.`);
    }

    case 'recreate-worker': {
      const n = workerNumber(arg, fixId);
      await removeContainer(
        await docker(),
        containerName(spec.name, 'worker', n),
        spec.workers.stopTimeoutSeconds,
      );
      await up();
      return done(`worker-${n} was recreated.`);
    }

    case 'pull-image': {
      const ref =
        arg === 'redis' ? spec.redis.image : arg === 'worker-base' ? spec.workers.baseImage : null;
      if (!ref)
        throw new GuildhallError(
          'invalid-input',
          `Unknown image "${arg ?? ''}".`,
          'Use pull-image:redis or pull-image:worker-base.',
        );
      await pullImage(await docker(), ref, onProgress);
      return done(`Pulled ${ref}.`);
    }

    case 'build-worker-image': {
      const tag = await ensureWorkerImage(await docker(), {
        contextDir: core.workerContextDir,
        baseImage: spec.workers.baseImage,
        onProgress,
      });
      return done(`The worker image ${tag} is ready.`);
    }

    case 'load-image': {
      if (!options.file) {
        throw new GuildhallError(
          'invalid-input',
          'Loading an image needs a file.',
          'Choose a tarball made by `docker save` (CLI: guildhall image load FILE).',
        );
      }
      const loaded = await loadImageTarball(await docker(), options.file, onProgress);
      return done(`Loaded ${loaded.join(', ') || 'nothing'}.`);
    }

    case 'reset-cluster':
      await core.cluster.down({ onProgress });
      await up();
      return done('The cluster was recreated; Redis data was kept.');

    case 'reset-cluster-wipe':
      requireConfirmation(fixId, spec.name, options.confirm);
      await core.cluster.down({ volumes: true, onProgress });
      await up();
      return done('The cluster was recreated with empty Redis data.');

    case 'factory-reset': {
      requireConfirmation(fixId, FACTORY_RESET_CONFIRM, options.confirm);
      const file = core.settings.paths.settings;
      const backup = `${file}.factory-reset-${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
      try {
        await fs.rename(file, backup);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const { spec: fresh } = await core.cluster.spec();
      const note =
        fresh.name === spec.name ? '' : ` The containers of cluster ${spec.name} were not touched.`;
      return done(
        `Settings were reset to defaults; the old settings are kept as ${backup}. The Redis password was kept.${note}`,
      );
    }
  }
  throw new GuildhallError(
    'invalid-input',
    `Unknown fix "${fixId}".`,
    'Run `guildhall doctor` to see the fixes offered.',
  );
}
