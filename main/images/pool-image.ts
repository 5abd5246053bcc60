/**
 * The image of each pool. A built-in pool runs the worker image, plus — when it asks for them —
 * its Debian `packages` (installed by apt in a generated Dockerfile) and its own `dockerfile`
 * built FROM that (build arg BASE_IMAGE). A custom pool runs its `image`, or one built from its
 * `build: { context, dockerfile }`. Built images are tagged by the hash of their recipe, so
 * each is built once and reused until the recipe (base image, worker program, packages,
 * Dockerfile, context) changes; a failed build's error carries the end of its log.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { PACKAGE_NAME_PATTERN } from '@shared/spec-limits';
import type { ClusterPool } from '../settings/cluster-spec';
import { GuildhallError } from '../util/errors';
import { noProgress, progress, type ProgressSink } from '../util/progress';
import { buildImage, ImageBuildError } from './image-build';
import { ensureImage, inspectImage } from './images';
import { ensureWorkerImage, readWorkerContext, workerImageTag } from './worker-image';
import { readBuildContext, type BuildContext } from './build-context';

/** Repository of a pool's own image: `guildhall/pool-<pool>:<recipe hash>`. */
export function poolImageRepo(pool: string): string {
  return `guildhall/pool-${pool}`;
}

/** `~/x` → the home folder's x; other paths as they are. */
export function expandHome(file: string, home: string = os.homedir()): string {
  return file === '~' || file.startsWith('~/') ? path.join(home, file.slice(1)) : file;
}

/** Refuses any name that is not a Debian package name, before anything is built. */
export function assertPackageNames(pool: string, packages: readonly string[]): void {
  const bad = packages.find((name) => !PACKAGE_NAME_PATTERN.test(name));
  if (bad !== undefined) {
    throw new GuildhallError(
      'invalid-input',
      `Pool "${pool}": ${JSON.stringify(bad)} is not a Debian package name.`,
      'Use names as apt knows them: lowercase letters, digits, "+", "-" and "." (e.g. python3, git).',
    );
  }
}

/**
 * The Dockerfile that installs `packages` on BASE_IMAGE. The names reach apt-get as arguments of
 * an exec-form RUN ("$@" of sh -c), never as shell text.
 */
export function packagesDockerfile(packages: readonly string[]): string {
  const script =
    'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" && rm -rf /var/lib/apt/lists/*';
  const run = ['/bin/sh', '-c', script, 'install-packages', ...packages];
  return [
    'ARG BASE_IMAGE',
    'FROM ${BASE_IMAGE}',
    'USER 0:0',
    `RUN ${JSON.stringify(run)}`,
    'USER 1000:1000',
    '',
  ].join('\n');
}

function recipeHash(parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 12);
}

async function readDockerfile(pool: string, file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch {
    throw new GuildhallError(
      'invalid-input',
      `The Dockerfile of pool "${pool}" is missing: ${file}`,
      'Create it, or correct the path (in a cluster file, paths are relative to the file).',
    );
  }
}

function hostPath(pool: string, field: string, file: string): string {
  const expanded = expandHome(file);
  if (!path.isAbsolute(expanded)) {
    throw new GuildhallError(
      'invalid-input',
      `Pool "${pool}": ${field} ${file} is not a full path.`,
      'Give an absolute path or ~/…; in a cluster file, paths are relative to the file.',
    );
  }
  return expanded;
}

/** Builds `tag` unless the engine has it; progress and failure as every pool build reports. */
async function buildOnce(
  docker: Dockerode,
  pool: string,
  tag: string,
  files: Map<string, Buffer>,
  options: { dockerfile?: string; buildargs?: Record<string, string>; what: string },
  onProgress: ProgressSink,
): Promise<string> {
  if (await inspectImage(docker, tag)) {
    progress(onProgress, 'image', tag, 'skipped', { message: 'present' });
    return tag;
  }
  progress(onProgress, 'image', tag, 'running', { message: `building ${options.what}` });
  try {
    await buildImage(docker, {
      files,
      tag,
      ...(options.dockerfile ? { dockerfile: options.dockerfile } : {}),
      ...(options.buildargs ? { buildargs: options.buildargs } : {}),
      labels: { 'io.guildhall.pool': pool },
      onProgress,
    });
  } catch (err) {
    const reason = err instanceof ImageBuildError ? err.reason : (err as Error).message;
    const tail = err instanceof ImageBuildError ? err.logTail : [];
    progress(onProgress, 'image', tag, 'failed', { message: reason });
    throw new GuildhallError(
      'image-build-failed',
      `Could not build the image of pool "${pool}" (${options.what}): ${reason}` +
        (tail.length ? `\nLast lines of the build log:\n${tail.join('\n')}` : ''),
      'Correct the pool (a package name apt does not know, a failing Dockerfile step) and apply again; running pools are untouched.',
      { logTail: tail },
    );
  }
  if (!(await inspectImage(docker, tag))) {
    throw new GuildhallError(
      'image-build-failed',
      `The engine reported a successful build, but ${tag} is missing.`,
    );
  }
  progress(onProgress, 'image', tag, 'done', { message: 'built' });
  return tag;
}

export interface BuiltinPoolImageOptions {
  /** Folder with the worker image context. */
  contextDir: string;
  /** The workers' base image (spec.workers.baseImage, env override applied). */
  baseImage: string;
  pool: string;
  packages: readonly string[];
  /** A Dockerfile on the host (absolute or ~/…), built FROM the pool's image; null = none. */
  dockerfile: string | null;
  onProgress?: ProgressSink;
}

/**
 * The image tag of a built-in pool: the worker image itself when the pool asks for no packages
 * and no Dockerfile; otherwise the worker image plus its packages, plus its Dockerfile.
 */
interface PoolRecipe {
  packages: string[];
  dockerfilePath: string | null;
  dockerfile: Buffer | null;
  /** The image with the packages (on `workerTag`), or null when the pool has none. */
  packagesTag(workerTag: string): string | null;
  /** The pool's image: the worker image itself when there is nothing to add. */
  finalTag(workerTag: string): string;
}

/** Checks a built-in pool's recipe (names, Dockerfile there and FROM BASE_IMAGE) and tags it. */
async function poolRecipe(options: BuiltinPoolImageOptions): Promise<PoolRecipe> {
  const { pool } = options;
  assertPackageNames(pool, options.packages);
  const packages = [...new Set(options.packages)].sort();
  const dockerfilePath =
    options.dockerfile === null ? null : hostPath(pool, 'dockerfile', options.dockerfile);
  const dockerfile = dockerfilePath === null ? null : await readDockerfile(pool, dockerfilePath);
  if (dockerfile !== null && !/^\s*FROM\s+\$\{?BASE_IMAGE\}?/im.test(dockerfile.toString())) {
    throw new GuildhallError(
      'invalid-input',
      `The Dockerfile of pool "${pool}" (${dockerfilePath}) does not build FROM the pool's image.`,
      "Start it with the two lines `ARG BASE_IMAGE` and `FROM ${BASE_IMAGE}`: Guildhall passes the image with the worker program (and the pool's packages) as BASE_IMAGE.",
    );
  }
  const repo = poolImageRepo(pool);
  const packagesTag = (workerTag: string) =>
    packages.length === 0
      ? null
      : `${repo}:${recipeHash([workerTag, ...packages])}${dockerfile ? '-packages' : ''}`;
  return {
    packages,
    dockerfilePath,
    dockerfile,
    packagesTag,
    finalTag: (workerTag) =>
      dockerfile === null
        ? (packagesTag(workerTag) ?? workerTag)
        : `${repo}:${recipeHash([workerTag, ...packages, '--dockerfile--', dockerfile])}`,
  };
}

/**
 * The image tag of a built-in pool: the worker image itself when the pool asks for no packages
 * and no Dockerfile; otherwise the worker image plus its packages, plus its Dockerfile.
 */
export async function ensurePoolImage(
  docker: Dockerode,
  options: BuiltinPoolImageOptions,
): Promise<string> {
  const onProgress = options.onProgress ?? noProgress;
  const { pool } = options;
  // Checked before any build, so a bad name or a missing file fails at once.
  const recipe = await poolRecipe(options);
  const workerTag = await ensureWorkerImage(docker, {
    contextDir: options.contextDir,
    baseImage: options.baseImage,
    onProgress,
  });
  let image = workerTag;
  const packagesTag = recipe.packagesTag(workerTag);
  if (packagesTag !== null) {
    image = await buildOnce(
      docker,
      pool,
      packagesTag,
      new Map([['Dockerfile', Buffer.from(packagesDockerfile(recipe.packages))]]),
      { buildargs: { BASE_IMAGE: workerTag }, what: `packages ${recipe.packages.join(' ')}` },
      onProgress,
    );
  }
  if (recipe.dockerfile === null) return image;
  return buildOnce(
    docker,
    pool,
    recipe.finalTag(workerTag),
    new Map([['Dockerfile', recipe.dockerfile]]),
    { buildargs: { BASE_IMAGE: image }, what: recipe.dockerfilePath ?? 'Dockerfile' },
    onProgress,
  );
}

/**
 * The image a built-in pool will run and whether it must be built first, found without building
 * (the recipe is checked as a build would). `ref` is null while the base image is not here.
 */
export async function plannedPoolImage(
  docker: Dockerode,
  options: BuiltinPoolImageOptions,
): Promise<{ ref: string | null; build: boolean }> {
  const recipe = await poolRecipe(options);
  const base = await inspectImage(docker, options.baseImage);
  if (!base) return { ref: null, build: true };
  const context = await readWorkerContext(options.contextDir);
  const ref = recipe.finalTag(workerImageTag(context, base.id));
  return { ref, build: !(await inspectImage(docker, ref)) };
}

export interface CustomPoolBuildOptions {
  pool: string;
  /** The build context folder on the host (absolute or ~/…). */
  context: string;
  /** The Dockerfile's path inside the context. */
  dockerfile: string;
  onProgress?: ProgressSink;
}

function customImageTag(pool: string, context: BuildContext): string {
  return `${poolImageRepo(pool)}:${recipeHash([context.dockerfile, context.hash])}`;
}

/** The image of a custom pool's `build`, tagged by the hash of its context. */
export async function ensureCustomPoolImage(
  docker: Dockerode,
  options: CustomPoolBuildOptions,
): Promise<string> {
  const onProgress = options.onProgress ?? noProgress;
  const { pool } = options;
  const contextDir = hostPath(pool, 'build.context', options.context);
  const context = await readBuildContext(pool, contextDir, options.dockerfile);
  const tag = customImageTag(pool, context);
  return buildOnce(
    docker,
    pool,
    tag,
    context.files,
    { dockerfile: context.dockerfile, what: contextDir },
    onProgress,
  );
}

export interface PoolImageOptions {
  contextDir: string;
  baseImage: string;
  pool: ClusterPool;
  onProgress?: ProgressSink;
}

/** The image a pool's containers run, built or pulled when the engine lacks it. */
export async function ensureImageOfPool(
  docker: Dockerode,
  options: PoolImageOptions,
): Promise<string> {
  const { pool } = options;
  const onProgress = options.onProgress ?? noProgress;
  if (pool.spec.build) {
    return ensureCustomPoolImage(docker, {
      pool: pool.name,
      context: pool.spec.build.context,
      dockerfile: pool.spec.build.dockerfile,
      onProgress,
    });
  }
  if (pool.spec.image) {
    await ensureImage(docker, pool.spec.image, onProgress);
    return pool.spec.image;
  }
  return ensurePoolImage(docker, {
    contextDir: options.contextDir,
    baseImage: options.baseImage,
    pool: pool.name,
    packages: pool.spec.packages,
    dockerfile: pool.spec.dockerfile,
    onProgress,
  });
}

/** The image any pool will run and whether it must be built or pulled first (nothing built). */
export async function plannedImageOfPool(
  docker: Dockerode,
  options: Omit<PoolImageOptions, 'onProgress'>,
): Promise<{ ref: string | null; build: boolean; pull?: boolean }> {
  const { pool } = options;
  if (pool.spec.build) {
    const contextDir = hostPath(pool.name, 'build.context', pool.spec.build.context);
    const context = await readBuildContext(pool.name, contextDir, pool.spec.build.dockerfile);
    const ref = customImageTag(pool.name, context);
    return { ref, build: !(await inspectImage(docker, ref)) };
  }
  if (pool.spec.image) {
    const present = (await inspectImage(docker, pool.spec.image)) !== null;
    return { ref: pool.spec.image, build: false, pull: !present };
  }
  return plannedPoolImage(docker, {
    contextDir: options.contextDir,
    baseImage: options.baseImage,
    pool: pool.name,
    packages: pool.spec.packages,
    dockerfile: pool.spec.dockerfile,
  });
}
