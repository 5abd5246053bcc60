/**
 * The safety rules for settings, in one place: the settings schema applies them (so the API, the
 * CLI and every save check the same things), and the console reads the same facts to warn early.
 *
 * - The processors folder is bind-mounted into every worker, where shell jobs can read it: never
 *   `/`, the home folder itself, or a folder holding (or inside) Guildhall's own folder, whose
 *   secrets file holds the Redis password.
 * - Worker env names that change how the worker program itself runs (NODE_OPTIONS, LD_PRELOAD,
 *   GUILDHALL_*…) are reserved: a value there would run code in every worker before Guildhall's.
 * - A pinned engine on another machine must use TLS: plain TCP lets anyone on the network, or on
 *   the way, drive the engine (and so the machine).
 */
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { parseEngineHost } from '../engine/endpoint-address';
import { defaultAppDataDir } from './paths';

/** Env names whose value changes how the worker's own Node.js process starts or loads code. */
export const RESERVED_ENV_NAMES: readonly string[] = [
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_ICU_DATA',
  'NODE_REPL_EXTERNAL_MODULE',
  'NODE_CHANNEL_FD',
  'NODE_CHANNEL_SERIALIZATION_MODE',
  'NODE_UNIQUE_ID',
  'NODE_V8_COVERAGE',
  'NODE_TLS_REJECT_UNAUTHORIZED',
  'PATH',
];
/** Prefixes reserved the same way: the dynamic loader's and Guildhall's own. */
export const RESERVED_ENV_PREFIXES: readonly string[] = ['LD_', 'DYLD_', 'GUILDHALL_'];

/** Why a worker env name is reserved, or null when users may set it. */
export function reservedEnvReason(name: string): string | null {
  const upper = name.toUpperCase();
  if (upper.startsWith('GUILDHALL_'))
    return `${name} is reserved: Guildhall sets GUILDHALL_* itself`;
  if (
    RESERVED_ENV_NAMES.includes(upper) ||
    RESERVED_ENV_PREFIXES.some((p) => upper.startsWith(p))
  ) {
    return `${name} is reserved: it changes how the worker program itself runs (pass it per job in a shell job's env instead)`;
  }
  return null;
}

/** Folders a processors folder must neither be, hold, nor sit inside: Guildhall's own. */
const appFolders = new Set<string>();

/** Registers a Guildhall folder (a settings store's root) as never mountable. */
export function protectAppFolder(folder: string): void {
  appFolders.add(path.resolve(folder));
}

function isInsideOrSame(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Why a processors folder may not be mounted, or null when it may. */
export function processorsDirProblem(
  folder: string,
  home: string = os.homedir(),
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  if (!path.isAbsolute(folder))
    return `${folder} is not a full path (start it with / or a drive letter)`;
  const resolved = path.resolve(folder);
  if (path.parse(resolved).root === resolved)
    return `${resolved} is the root of the file system: every file would be readable by jobs`;
  if (path.resolve(home) === resolved)
    return `${resolved} is your home folder: all of it would be readable by jobs`;
  for (const own of new Set([...appFolders, path.resolve(defaultAppDataDir(env))])) {
    if (isInsideOrSame(resolved, own) || isInsideOrSame(own, resolved)) {
      return `${resolved} holds or is inside Guildhall's own folder (${own}), whose files include the Redis password`;
    }
  }
  return null;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?)$/i;

/** Why a pinned engine address is refused (plain TCP to another machine), or null. */
export function pinnedEngineProblem(address: string): string | null {
  const endpoint = parseEngineHost(address, { source: 'pinned' });
  if (endpoint.transport !== 'tcp' || endpoint.protocol !== 'http') return null;
  if (LOOPBACK.test(endpoint.host)) return null;
  return `${endpoint.host}:${endpoint.port} is an engine on another machine over plain TCP, which anyone on the network could use to control it; use TLS (https://${endpoint.host}:2376 with DOCKER_CERT_PATH), or forward its socket over SSH and pin that`;
}

interface RuleInput {
  engine: { pinned: string | null };
  cluster: { workers: { processorsDir: string | null; env: Record<string, string> } };
}

/** The settings schema's superRefine: adds one issue per broken rule, at the field's path. */
export function checkSettingsRules(settings: RuleInput, ctx: z.RefinementCtx): void {
  const { processorsDir, env } = settings.cluster.workers;
  if (processorsDir) {
    const problem = processorsDirProblem(processorsDir);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        path: ['cluster', 'workers', 'processorsDir'],
        message: `${problem}. Choose a folder holding only your processor files`,
      });
    }
  }
  for (const name of Object.keys(env)) {
    const reason = reservedEnvReason(name);
    if (reason)
      ctx.addIssue({ code: 'custom', path: ['cluster', 'workers', 'env', name], message: reason });
  }
  if (settings.engine.pinned) {
    const problem = pinnedEngineProblem(settings.engine.pinned);
    if (problem) ctx.addIssue({ code: 'custom', path: ['engine', 'pinned'], message: problem });
  }
}
