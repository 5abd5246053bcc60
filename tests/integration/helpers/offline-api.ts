/**
 * The API with no engine: a core over a fresh home folder, its ApiServices and an in-process
 * client, for the API tests of procedures that need no cluster (alerts config, secrets, export).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ApiServices } from '../../../main/api/context';
import { createCore, type Core } from '../../../main/core';
import { messagePortClient, type TransportClient } from './api-clients';
import { workerContextDir } from './test-cluster';

export interface OfflineApi {
  home: string;
  services: ApiServices;
  ipc: TransportClient;
  close(): Promise<void>;
}

/** Opens it; `prepare` sets the core up (settings, secrets) before the services start. */
export async function openOfflineApi(
  prefix: string,
  prepare?: (core: Core) => Promise<void>,
): Promise<OfflineApi> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), `ghapi-${prefix}-`));
  const core = createCore({ home, version: 'test', workerContextDir });
  await prepare?.(core);
  const services = new ApiServices({ core });
  const ipc = messagePortClient(services);
  return {
    home,
    services,
    ipc,
    async close() {
      ipc.close();
      await services.close();
      await fs.rm(home, { recursive: true, force: true });
    },
  };
}
