/**
 * The worker program's version. The bundler (scripts/build-worker.mjs) replaces the placeholder
 * with the app's package version; running the TypeScript sources directly reports a dev version.
 */
import { WORKER_PROTOCOL_VERSION } from '../../../main/shared/worker-contract';

declare const __GUILDHALL_WORKER_VERSION__: string | undefined;

export const WORKER_VERSION: string =
  typeof __GUILDHALL_WORKER_VERSION__ === 'string' ? __GUILDHALL_WORKER_VERSION__ : '0.0.0-dev';

export function versionLine(): string {
  return `guildhall-worker ${WORKER_VERSION} (protocol ${WORKER_PROTOCOL_VERSION}, node ${process.version})`;
}
