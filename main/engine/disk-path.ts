/**
 * Which folder's file system holds what the engine stores (images, volumes, logs): its data root
 * when the engine runs on this machine, else the file system holding the user's home (where
 * Docker Desktop, Colima… keep their VM's disk image). The setup wizard and the disk check both
 * measure free space there.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isPipePath } from './endpoint-address';
import type { EngineEndpoint } from './types';

export interface EngineDiskPath {
  path: string;
  /** The folder in words, for messages: "the engine's data folder /var/lib/docker". */
  what: string;
}

/**
 * `endpoint` is the engine's (null when it was not reached); `dataRoot` its DockerRootDir. The
 * data root counts only when the engine is local (a unix socket on Linux) and the folder is
 * visible here.
 */
export async function engineDiskPath(
  endpoint: EngineEndpoint | null,
  dataRoot: string | undefined,
): Promise<EngineDiskPath> {
  const local =
    endpoint !== null &&
    endpoint.transport === 'socket' &&
    !isPipePath(endpoint.socketPath) &&
    process.platform === 'linux';
  if (local && dataRoot) {
    try {
      await fs.access(dataRoot);
      return { path: dataRoot, what: `the engine's data folder ${dataRoot}` };
    } catch {
      // not visible here (rootless engine in another namespace…): fall through
    }
  }
  const fallback = process.platform === 'win32' ? path.parse(os.homedir()).root : '/';
  return { path: fallback, what: fallback === '/' ? 'the root file system' : fallback };
}
