/**
 * `apply FILE` and `spec`: the cluster as one file. `apply` reads and checks the file, prints the
 * plan (per pool: image to build, containers to create, replace, remove; Redis's changes), then
 * saves the spec and runs `up`; with `--dry-run` it prints the plan only. Nothing is saved when
 * the file is wrong, and a failed `up` puts the previous settings back. `spec` prints the spec
 * in force as that file, so `spec > f.yaml && apply f.yaml --dry-run` plans nothing.
 */
import fs from 'node:fs/promises';
import type { Core } from '../../core';
import { clusterPools, type ClusterSpec } from '../../settings/cluster-spec';
import { parseClusterFile, specToFile, specToYaml } from '../../settings/cluster-file';
import {
  planApply,
  type ApplyPlan,
  type ObservedContainerName,
  type PoolImagePlan,
  type PoolPlan,
} from '../../settings/apply-plan';
import { JobControls } from '../../queues/job-controls';
import { putSpecLimits } from '../../queues/queue-limits-spec';
import { GuildhallError } from '../../util/errors';
import { EXIT } from '../exit-codes';
import type { CliIO } from '../io';
import { createProgressPrinter } from '../progress-printer';
import { withToolkit } from './queue-toolkit-access';

function progressMode(io: CliIO, flags: { json?: boolean; plain?: boolean }) {
  if (flags.json) return 'json' as const;
  return io.stderr.isTTY && !flags.plain ? ('tty' as const) : ('plain' as const);
}

async function readFileText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    throw new GuildhallError(
      'not-found',
      `Cluster file not found: ${file}`,
      'Give the path of a YAML or JSON cluster file; `guildhall spec > cluster.yaml` writes the current one.',
    );
  }
}

function poolLine(plan: PoolPlan): string[] {
  const head = plan.pool.padEnd(10);
  if (plan.kind === 'removed')
    return [`  ${head} removed from the file: remove ${plan.remove.join(', ')}`];
  const kind = plan.kind === 'builtin' ? 'built-in' : 'custom';
  const todo = plan.image?.build ? ' (to build)' : plan.image?.pull ? ' (to pull)' : '';
  const image = plan.image?.ref
    ? `${plan.image.ref}${todo}`
    : plan.image?.build
      ? '(to build)'
      : '(unknown)';
  const lines = [`  ${head} ${kind}, ${plan.replicas} container(s), image ${image}`];
  const indent = ' '.repeat(13);
  if (plan.create.length) lines.push(`${indent}create  ${plan.create.join(', ')}`);
  if (plan.replace.length) lines.push(`${indent}replace ${plan.replace.join(', ')}`);
  if (plan.remove.length) lines.push(`${indent}remove  ${plan.remove.join(', ')}`);
  if (!plan.create.length && !plan.replace.length && !plan.remove.length)
    lines.push(`${indent}no container changes${plan.keep ? ` (${plan.keep} kept)` : ''}`);
  return lines;
}

function limitLine(limit: ApplyPlan['queueLimits'][number]): string {
  const parts: string[] = [];
  if (limit.concurrency !== null) parts.push(`concurrency ${limit.concurrency}`);
  if (limit.rateLimit) parts.push(`rate ${limit.rateLimit.max}/${limit.rateLimit.durationMs} ms`);
  return `${limit.queue}: ${parts.length ? parts.join(', ') : 'no limits (lifted)'}`;
}

/** The plan as people read it. */
export function formatPlan(plan: ApplyPlan): string {
  const redis = plan.redis.external
    ? plan.redis.action === 'remove'
      ? `remove the container (uses the external Redis ${plan.redis.external})`
      : `external ${plan.redis.external}${plan.redis.changes.length ? ` (${plan.redis.changes.join(', ')})` : ''}`
    : plan.redis.action === 'create'
      ? 'create'
      : plan.redis.action === 'replace'
        ? `replace (${plan.redis.changes.join(', ')})`
        : 'no changes';
  const lines = [`Plan for cluster ${plan.cluster}:`, `  ${'redis'.padEnd(10)} ${redis}`];
  for (const pool of plan.pools) lines.push(...poolLine(pool));
  for (const limit of plan.queueLimits) lines.push(`  ${'limits'.padEnd(10)} ${limitLine(limit)}`);
  if (!plan.changes) lines.push('No changes.');
  return `${lines.join('\n')}\n`;
}

/** The cluster's containers as the plan reads them (name and image), [] when it has none. */
async function observedContainers(
  core: Core,
  current: ClusterSpec,
  desired: ClusterSpec,
): Promise<ObservedContainerName[]> {
  const status = await core.cluster.status();
  const containers = [...(status.redis ? [status.redis] : []), ...status.workers].map((c) => ({
    name: c.name,
    image: c.image,
  }));
  if (current.name === desired.name) return containers;
  if (containers.length > 0) {
    throw new GuildhallError(
      'invalid-input',
      `The file names cluster "${desired.name}", but cluster "${current.name}" is running. Nothing was saved.`,
      `Run \`guildhall down\` first to replace it, or set name: ${current.name} in the file.`,
    );
  }
  return [];
}

async function plannedImages(
  core: Core,
  desired: ClusterSpec,
): Promise<Record<string, PoolImagePlan>> {
  const baseImage = core.cluster.imageOverrides().workerBase?.image ?? desired.workers.baseImage;
  const images = await core.images();
  const out: Record<string, PoolImagePlan> = {};
  for (const pool of clusterPools(desired))
    out[pool.name] = await images.planPoolImage(pool, baseImage);
  return out;
}

export async function runApply(
  core: Core,
  io: CliIO,
  positionals: string[],
  flags: { json?: boolean; plain?: boolean; 'dry-run'?: boolean },
): Promise<number> {
  const [file] = positionals;
  if (!file)
    throw new GuildhallError(
      'invalid-input',
      'apply needs a cluster file.',
      'Example: guildhall apply cluster.yaml (guildhall spec > cluster.yaml writes the current one)',
    );
  const text = await readFileText(file);
  const { settings: previous } = await core.settings.load();
  const parsed = parseClusterFile(text, file, previous);
  const desired = parsed.spec;
  const containers = await observedContainers(core, previous.cluster, desired);
  const images = await plannedImages(core, desired);
  const plan = planApply({ current: previous.cluster, desired, containers, images });

  if (flags['dry-run']) {
    io.stdout.write(
      flags.json ? `${JSON.stringify({ plan, applied: false })}\n` : formatPlan(plan),
    );
    return EXIT.ok;
  }
  if (!flags.json) io.stdout.write(formatPlan(plan));

  await core.settings.save(parsed.settings);
  const printer = createProgressPrinter(io.stderr, progressMode(io, flags));
  try {
    const status = await core.cluster.up({ onProgress: printer.sink });
    await withToolkit(core, (kit) =>
      putSpecLimits(new JobControls(kit), previous.cluster.queues, desired.queues),
    );
    printer.finish();
    if (flags.json) io.stdout.write(`${JSON.stringify({ plan, applied: true, status })}\n`);
    else
      io.stdout.write(
        `Cluster ${status.cluster} is ready: Redis on 127.0.0.1:${status.redis?.port}, ${status.workers.length} container(s) in its pools.\n`,
      );
    return EXIT.ok;
  } catch (err) {
    // The change did not take: the settings go back to what runs (or ran) before it.
    await core.settings.save(previous).catch(() => {});
    throw err;
  } finally {
    printer.finish();
  }
}

export async function runSpec(
  core: Core,
  io: CliIO,
  _positionals: string[],
  flags: { json?: boolean },
): Promise<number> {
  const { settings } = await core.settings.load();
  io.stdout.write(
    flags.json ? `${JSON.stringify(specToFile(settings.cluster))}\n` : specToYaml(settings.cluster),
  );
  return EXIT.ok;
}
