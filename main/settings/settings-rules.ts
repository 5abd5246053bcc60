/**
 * The safety rules for settings, in one place: the settings schema applies them (so the API, the
 * CLI and every save check the same things), and the console reads the same facts to warn early.
 *
 * - The processors folder is bind-mounted into every worker, where shell jobs can read it: never
 *   `/`, the home folder itself, or a folder holding (or inside) Guildhall's own folder, whose
 *   secrets file holds the Redis password.
 * - A pool's mounts (`mounts[].source`) follow the same folder rule, with `~` expanded, and must
 *   exist; their targets may not cover the paths Guildhall itself mounts (/run/guildhall,
 *   /run/secrets, /processors) or the container's root.
 * - Env names that change how the worker program itself runs (NODE_OPTIONS, LD_PRELOAD…) are
 *   reserved in built-in pools, GUILDHALL_* in every pool (the rule: shared/env-names.ts); so is
 *   a custom pool's Redis-URL env var name.
 * - A pinned engine on another machine must use TLS: plain TCP lets anyone on the network, or on
 *   the way, drive the engine (and so the machine).
 */
import { statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { reservedEnvReason } from '@shared/env-names';
import { PROCESSORS_MOUNT, RUN_DIR, SECRETS_DIR } from '@shared/worker-contract';
import { parseEngineHost } from '../engine/endpoint-address';
import { defaultAppDataDir } from './paths';

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
  return hostFolderProblem(path.resolve(folder), home, env);
}

/** `~` or `~/…` made absolute with the home folder; anything else as given. */
export function expandHome(source: string, home: string = os.homedir()): string {
  if (source === '~') return home;
  if (source.startsWith('~/') || source.startsWith('~\\')) return path.join(home, source.slice(2));
  return source;
}

/** Why a pool's mount source may not be mounted, or null when it may (`~` is expanded). */
export function mountSourceProblem(
  source: string,
  home: string = os.homedir(),
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  const expanded = expandHome(source, home);
  if (!path.isAbsolute(expanded))
    return `${source} is not a full path (start it with /, ~/ or a drive letter)`;
  const resolved = path.resolve(expanded);
  const problem = hostFolderProblem(resolved, home, env);
  if (problem) return problem;
  try {
    statSync(resolved);
  } catch {
    return `${resolved} does not exist on this machine`;
  }
  return null;
}

/** Paths Guildhall mounts into a pool's containers itself: a mount may not cover them. */
const OWN_TARGETS = [RUN_DIR, SECRETS_DIR, PROCESSORS_MOUNT];

/** Why a mount target may not be used, or null when it may. */
export function mountTargetProblem(target: string): string | null {
  const resolved = path.posix.resolve(target);
  if (resolved === '/') return "the container's root cannot be a mount target";
  for (const own of OWN_TARGETS) {
    if (isInsidePosix(resolved, own) || isInsidePosix(own, resolved))
      return `${resolved} would cover ${own}, which Guildhall mounts itself`;
  }
  return null;
}

function isInsidePosix(parent: string, child: string): boolean {
  const relative = path.posix.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.posix.isAbsolute(relative));
}

/** The rule every folder mounted from the host follows (processors folder, pool mounts). */
function hostFolderProblem(resolved: string, home: string, env: NodeJS.ProcessEnv): string | null {
  if (path.parse(resolved).root === resolved)
    return `${resolved} is the root of the file system: every file would be readable by jobs`;
  if (path.resolve(home) === resolved)
    return `${resolved} is your home folder: all of it would be readable by jobs`;
  for (const own of new Set([...appFolders, path.resolve(defaultAppDataDir(env))])) {
    if (isInsideOrSame(resolved, own) || isInsideOrSame(own, resolved)) {
      return `${resolved} holds or is inside Guildhall's own folder (${own}), whose files include the Redis password and your secrets`;
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

interface MountInput {
  source: string;
  target: string;
}

interface RuleInput {
  engine: { pinned: string | null };
  cluster: {
    workers: {
      processorsDir: string | null;
      env: Record<string, string>;
      mounts?: readonly MountInput[];
    };
    pools?: Record<
      string,
      {
        mounts?: readonly MountInput[];
        env?: Record<string, string>;
        image?: string | null;
        build?: unknown;
        redisUrlEnv?: string | null;
      }
    >;
  };
}

/** One issue per mount whose source or target breaks a rule; `at` is the pool's settings path. */
function checkMounts(
  mounts: readonly MountInput[],
  at: (string | number)[],
  ctx: z.RefinementCtx,
): void {
  const targets = new Set<string>();
  mounts.forEach((mount, index) => {
    const source = mountSourceProblem(mount.source);
    if (source) {
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'mounts', index, 'source'],
        message: `${source}. Mount a folder holding only what the pool's jobs need`,
      });
    }
    const target = mountTargetProblem(mount.target);
    const resolved = path.posix.resolve(mount.target);
    const problem = target ?? (targets.has(resolved) ? `${resolved} is mounted twice` : null);
    if (problem)
      ctx.addIssue({ code: 'custom', path: [...at, 'mounts', index, 'target'], message: problem });
    targets.add(resolved);
  });
}

/** One issue per env name the pool may not set (shared/env-names.ts), at `<at>.env.<NAME>`. */
function checkEnv(
  env: Record<string, string>,
  kind: 'builtin' | 'custom',
  at: string[],
  ctx: z.RefinementCtx,
): void {
  for (const name of Object.keys(env)) {
    const reason = reservedEnvReason(name, kind);
    if (reason) ctx.addIssue({ code: 'custom', path: [...at, 'env', name], message: reason });
  }
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
  checkMounts(settings.cluster.workers.mounts ?? [], ['cluster', 'workers'], ctx);
  checkEnv(env, 'builtin', ['cluster', 'workers'], ctx);
  for (const [name, pool] of Object.entries(settings.cluster.pools ?? {})) {
    const at = ['cluster', 'pools', name];
    checkMounts(pool.mounts ?? [], at, ctx);
    const kind = (pool.image ?? null) !== null || (pool.build ?? null) !== null;
    checkEnv(pool.env ?? {}, kind ? 'custom' : 'builtin', at, ctx);
    const urlEnv = pool.redisUrlEnv ?? null;
    const reason = urlEnv === null ? null : reservedEnvReason(urlEnv, 'custom');
    if (reason) ctx.addIssue({ code: 'custom', path: [...at, 'redisUrlEnv'], message: reason });
  }
  if (settings.engine.pinned) {
    const problem = pinnedEngineProblem(settings.engine.pinned);
    if (problem) ctx.addIssue({ code: 'custom', path: ['engine', 'pinned'], message: problem });
  }
}
