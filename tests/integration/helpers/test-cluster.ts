/**
 * A throwaway cluster for one test file: its own settings folder, a unique cluster name and a
 * free Redis port, torn down with its volume afterwards. The core finds the engine under test
 * (helpers/test-engine.ts) through DOCKER_HOST, as a user's would.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { createCore, type Core } from '../../../main/core';
import { findFreePort } from '../../../main/util/ports';
import { testEngineClient } from './test-engine';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
export const workerContextDir = path.join(repoRoot, 'resources', 'worker');
/** The engine under test (Docker, or Podman in the integration-podman project). */
export const docker = testEngineClient();

export interface TestCluster {
  core: Core;
  name: string;
  home: string;
  port: number;
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

export async function createTestCluster(
  options: { workers?: number; portFrom?: number; concurrency?: number; memoryMb?: number } = {},
): Promise<TestCluster> {
  const name = `ghtest-${randomBytes(3).toString('hex')}`;
  const home = await fs.mkdtemp(path.join(os.tmpdir(), `${name}-`));
  const port = (await findFreePort(options.portFrom ?? 16379 + Math.floor(Math.random() * 2000)))!;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GUILDHALL_HOME: home,
    GUILDHALL_REDIS_IMAGE: process.env.GUILDHALL_REDIS_IMAGE,
    GUILDHALL_WORKER_BASE_IMAGE: process.env.GUILDHALL_WORKER_BASE_IMAGE,
  };
  const core = createCore({ home, version: 'test', workerContextDir, env });
  const { settings } = await core.settings.load();
  await core.settings.save({
    ...settings,
    cluster: {
      ...settings.cluster,
      name,
      redis: { ...settings.cluster.redis, port },
      workers: {
        ...settings.cluster.workers,
        replicas: options.workers ?? 2,
        concurrency: options.concurrency ?? settings.cluster.workers.concurrency,
        stopTimeoutSeconds: 10,
        memoryMb: options.memoryMb ?? 512,
      },
    },
  });
  return {
    core,
    name,
    home,
    port,
    env,
    async cleanup() {
      await core.cluster.down({ volumes: true }).catch(() => {});
      await fs.rm(home, { recursive: true, force: true });
    },
  };
}

export async function clusterContainers(name: string): Promise<Dockerode.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [`io.guildhall.cluster=${name}`] } });
}
