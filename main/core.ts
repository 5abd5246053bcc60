/**
 * Builds the core services for a face (CLI, browser console, Electron). No Electron imports:
 * the Electron face passes its userData folder. The engine client stays inside: faces and the
 * layers above the cluster get the engine's summary, the cluster service and the image store.
 */
import path from 'node:path';
import { ClusterService } from './cluster/cluster-service';
import { connectEngine, type EngineSummary } from './engine/connect';
import { ImageStore } from './images/image-store';
import { defaultAppDataDir } from './settings/paths';
import { FileSecretStore, redisPasswordKey, type SecretStore } from './settings/secret-store';
import { SettingsStore } from './settings/settings-store';
import { openAppLog, type AppLog } from './util/app-log';

export interface CoreOptions {
  /** App data folder; defaults to GUILDHALL_HOME or the per-OS default. */
  home?: string;
  version: string;
  /** Folder holding the worker image context (Dockerfile + the bundled worker program). */
  workerContextDir: string;
  env?: NodeJS.ProcessEnv;
}

export interface Core {
  home: string;
  version: string;
  workerContextDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  cluster: ClusterService;
  /** Connects to the engine: where it is and what it is (throws a classified GuildhallError). */
  engine: () => Promise<EngineSummary>;
  /** The engine's images (connects first). */
  images: () => Promise<ImageStore>;
}

export function createCore(options: CoreOptions): Core {
  const env = options.env ?? process.env;
  const home = options.home ?? defaultAppDataDir(env);
  const settings = new SettingsStore(home);
  const secrets = new FileSecretStore(settings.paths.secrets);
  const connect = async () => {
    const { settings: current } = await settings.load();
    return connectEngine({ pinned: current.engine.pinned ?? undefined, env });
  };
  const cluster = new ClusterService({
    settings,
    secrets,
    engine: connect,
    workerContextDir: options.workerContextDir,
    version: options.version,
    env,
  });
  const engine = async (): Promise<EngineSummary> => {
    const { endpoint, info } = await connect();
    return { endpoint, info };
  };
  const images = async () => new ImageStore((await connect()).docker, options.workerContextDir);
  return {
    home,
    version: options.version,
    workerContextDir: options.workerContextDir,
    settings,
    secrets,
    cluster,
    engine,
    images,
  };
}

/** The worker context beside a built entry (out/main/*.js → resources/worker). */
export function defaultWorkerContextDir(entryDir: string): string {
  return path.resolve(entryDir, '..', '..', 'resources', 'worker');
}

/** The app log of this core's home, with the stored Redis password and secrets registered. */
export async function coreLog(core: Core, scope?: string): Promise<AppLog> {
  const log = openAppLog(core.settings.paths.logs);
  try {
    const { settings } = await core.settings.load();
    log.addSecret(await core.secrets.get(redisPasswordKey(settings.cluster.name)));
    for (const value of (await core.secrets.values?.()) ?? []) log.addSecret(value);
  } catch {
    // settings or secrets unreadable: nothing to register
  }
  return scope ? log.child(scope) : log;
}
