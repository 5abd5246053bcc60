/**
 * What a Kubernetes export needs from this machine, gathered for kubernetesExport (which stays
 * pure): the spec in force, the values of the secrets its pools name and the Redis password from
 * Guildhall's secret store, an external Redis's CA file, and the image each pool runs. Images
 * built here (the worker image and the pools' own) are named by the tag `up` builds them under,
 * asked of the image store without building anything; when the engine cannot tell, a
 * placeholder stands in, with a warning, so the export still works without an engine.
 */
import fs from 'node:fs/promises';
import type { Core } from '../core';
import { externalPassword } from '../cluster/redis-connection';
import { registryRef } from '../images/image-push';
import { applyEnvOverrides, clusterPools, type ClusterSpec } from '../settings/cluster-spec';
import { expandHome } from '../settings/settings-rules';
import { ensureRedisPassword } from '../settings/secret-store';
import { poolSecretValues } from '../settings/user-secrets';
import { GuildhallError } from '../util/errors';
import { kubernetesExport, type KubernetesExport } from './kubernetes-export';

export interface KubernetesExportOptions {
  namespace?: string | null;
  keda: boolean;
  /** Refer to the built images under this registry (after `guildhall image push REGISTRY`). */
  registry?: string | null;
}

/** The image a pool runs when the engine could not name it. */
export function placeholderImage(pool: string): string {
  return `guildhall-${pool}:unbuilt`;
}

/** Each pool's image by name, and warnings about images that must be built or pushed first. */
async function poolImageRefs(
  core: Core,
  spec: ClusterSpec,
  registry: string | null,
): Promise<{ images: Record<string, string>; warnings: string[] }> {
  const images: Record<string, string> = {};
  const warnings: string[] = [];
  const built: string[] = [];
  const store = await core.images().catch(() => null);
  const baseImage = applyEnvOverrides(spec).workers.baseImage;
  for (const pool of clusterPools(spec)) {
    if (pool.spec.image) {
      images[pool.name] = pool.spec.image;
      continue;
    }
    const plan = store ? await store.planPoolImage(pool, baseImage).catch(() => null) : null;
    if (plan?.ref) {
      images[pool.name] = registry ? registryRef(plan.ref, registry) : plan.ref;
      built.push(`${pool.name} (${plan.ref}${plan.build ? ', not built yet' : ''})`);
    } else {
      images[pool.name] = placeholderImage(pool.name);
      warnings.push(
        `pool "${pool.name}": its image could not be named here (no engine, or its base image is ` +
          `missing); the manifests say ${placeholderImage(pool.name)}. Run \`guildhall image build ${pool.name}\` and export again.`,
      );
    }
  }
  if (built.length > 0 && registry) {
    warnings.push(
      `the manifests name the images under ${registry}: push them there first with \`guildhall image push ${registry}\` (${built.join('; ')}).`,
    );
  } else if (built.length > 0) {
    warnings.push(
      `images built on this machine must be pushed to a registry your Kubernetes cluster pulls ` +
        `from: run \`guildhall image push REGISTRY\` and export again with --registry REGISTRY (${built.join('; ')}).`,
    );
  }
  return { images, warnings };
}

async function externalCa(spec: ClusterSpec): Promise<string | null> {
  const file = spec.redis.external?.caFile;
  if (!file) return null;
  try {
    return await fs.readFile(expandHome(file), 'utf8');
  } catch (err) {
    throw new GuildhallError(
      'invalid-input',
      `The external Redis's CA file ${file} cannot be read: ${(err as Error).message}`,
      'Fix redis.external.caFile in the cluster spec (a PEM file on this machine).',
    );
  }
}

/** The cluster in force as Kubernetes manifests (see kubernetes-export.ts). */
export async function exportClusterToKubernetes(
  core: Core,
  options: KubernetesExportOptions,
): Promise<KubernetesExport> {
  const { settings } = await core.settings.load();
  const spec = settings.cluster;
  const secrets = new Map<string, string>();
  for (const pool of clusterPools(spec)) {
    const values = await poolSecretValues(core.secrets, {
      name: pool.name,
      secrets: pool.spec.secrets,
    });
    for (const [name, value] of values) secrets.set(name, value);
  }
  const redisPassword = spec.redis.external
    ? ((await externalPassword(core.secrets, spec.redis.external)) ?? null)
    : await ensureRedisPassword(core.secrets, spec.name);
  const ca = await externalCa(spec);
  const { images, warnings } = await poolImageRefs(core, spec, options.registry?.trim() || null);
  const result = kubernetesExport({
    spec,
    namespace: options.namespace ?? null,
    keda: options.keda,
    redisPassword,
    secrets,
    images,
    externalCa: ca,
    version: core.version,
  });
  return { ...result, warnings: [...warnings, ...result.warnings] };
}
