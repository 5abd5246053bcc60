/**
 * `export compose`: the cluster in force as a compose file, Swarm's additions and the secret
 * files beside them, made from the same container options the cluster runs
 * (cluster/container-model.ts). The images are the pools' local tags (what `up` and `image
 * build` made), or the same under a registry after `guildhall image push REGISTRY`.
 */
import type { Core } from '../core';
import { clusterRedisUrl } from '../cluster/connection-url';
import { clusterModel, RUN_SECRET, type ClusterModel } from '../cluster/container-model';
import { resolveClusterPoolHosts } from '../cluster/pool-host';
import { clusterPools, type ClusterSpec } from '../settings/cluster-spec';
import { composeDocument, SECRETS_FOLDER, swarmOverride, swarmOverrideName } from './compose-file';
import type { ExportBundle, ExportFile } from './export-bundle';
import {
  coreRedisConnection,
  externalRedisFiles,
  type ExternalRedisFiles,
} from '../cluster/redis-connection';
import { registryRef } from '../images/image-push';

export const DEFAULT_COMPOSE_FILE = 'compose.yaml';

export interface ComposeExportOptions {
  /** Refer to the pools' images under this registry (after `guildhall image push`). */
  registry?: string | null;
  /** Name of the compose file in the bundle. */
  fileName?: string;
}

/** Each pool's image as `up` would run it, and warnings for those not built or pulled yet. */
async function plannedImages(
  core: Core,
  spec: ClusterSpec,
): Promise<{ images: Record<string, string>; owners: Record<string, number>; warnings: string[] }> {
  const store = await core.images();
  const images: Record<string, string> = {};
  const owners: Record<string, number> = {};
  const warnings: string[] = [];
  for (const pool of clusterPools(spec)) {
    const plan = await store.planPoolImage(pool, spec.workers.baseImage);
    images[pool.name] = plan.ref ?? `guildhall/pool-${pool.name}:unbuilt`;
    if (plan.ref === null || plan.build) {
      warnings.push(
        `The image of pool "${pool.name}" is not built yet: run \`guildhall image build ${pool.name}\` (or \`guildhall up\`) and export again.`,
      );
    } else if (plan.pull) {
      warnings.push(`The image ${plan.ref} of pool "${pool.name}" is not on this engine yet.`);
    }
    if (pool.kind === 'custom' && plan.ref) {
      // Its secret files are read by the image's own user: they are written for that uid.
      const user = (await store.inspect(plan.ref))?.user ?? '';
      const uid = user === '' ? 0 : Number(user.split(':')[0]);
      if (Number.isInteger(uid)) owners[pool.name] = uid;
      else
        warnings.push(
          `Pool "${pool.name}" runs as user "${user}": give its secret files in ./${SECRETS_FOLDER}/ to that user's uid (chown) before compose up.`,
        );
    }
  }
  return { images, owners, warnings };
}

/**
 * The run volume's secret values: the cluster's own Redis's password and URL, or the external
 * Redis's URL (ACL user and password in it) and CA, as the local pools get them.
 */
function runSecretValues(
  password: string,
  external: ExternalRedisFiles | null,
): [string, string][] {
  if (!external) {
    return [
      [RUN_SECRET.password, password],
      [RUN_SECRET.url, clusterRedisUrl(password)],
    ];
  }
  return [
    [RUN_SECRET.url, external.url],
    ...(external.ca !== null ? [[RUN_SECRET.ca, external.ca] as [string, string]] : []),
  ];
}

function headerLines(model: ClusterModel, fileName: string): string[] {
  const project = `${model.cluster}-export`;
  return [
    `Guildhall cluster "${model.cluster}", exported by \`guildhall export compose\`.`,
    `Secrets are files in ./${SECRETS_FOLDER}/ (mode 0600): keep them with this file, out of version control.`,
    "Compose (the files are bind-mounted: their owner must be the containers' user, 1000 for built-in pools):",
    `  docker compose -p ${project} -f ${fileName} up -d      (or docker-compose -p ${project} -f ${fileName} up -d)`,
    'Swarm (images must be on every node: guildhall image push REGISTRY, then export --registry REGISTRY):',
    `  docker stack deploy --resolve-image never -c ${fileName} -c ${swarmOverrideName(fileName)} ${project}`,
    ...(model.redis
      ? [
          `Redis is published on 127.0.0.1:${model.redis.hostPort}; on Swarm, on every interface of its node (firewall it).`,
        ]
      : [
          `Pools use the external Redis at ${model.redisEndpoint.host}:${model.redisEndpoint.port}.`,
        ]),
  ];
}

/** The compose file and the secret files beside it, values included (write, never show). */
export async function composeExport(
  core: Core,
  options: ComposeExportOptions = {},
): Promise<ExportBundle> {
  const { spec } = await core.cluster.spec();
  const fileName = options.fileName ?? DEFAULT_COMPOSE_FILE;
  const clusterPassword = await core.cluster.password(spec.name);
  // The external Redis's URL and CA, read the way `up` reads them (a rediss:// URL needs caFile).
  const externalRedis = spec.redis.external
    ? externalRedisFiles(spec, await coreRedisConnection(spec, core.secrets))
    : null;
  const hosts = await resolveClusterPoolHosts(core.secrets, spec, clusterPassword);
  const { images, owners, warnings } = await plannedImages(core, spec);
  const registry = options.registry?.trim() || null;
  const poolImages = Object.fromEntries(
    Object.entries(images).map(([pool, ref]) => [
      pool,
      registry ? registryRef(ref, registry) : ref,
    ]),
  );
  const model = clusterModel({
    spec,
    redisImage: spec.redis.image,
    workerImage: poolImages.worker ?? '',
    poolImages,
    password: clusterPassword,
    version: core.version,
    poolHosts: hosts,
    externalRedis,
  });
  const doc = composeDocument(model, headerLines(model, fileName), owners);
  const values = new Map<string, string>(runSecretValues(clusterPassword, externalRedis));
  for (const host of hosts.values())
    for (const [name, value] of host.secrets) values.set(name, value);
  const swarmName = swarmOverrideName(fileName);
  const files: ExportFile[] = [
    { path: fileName, content: doc.text, secret: false },
    {
      path: swarmName,
      content: swarmOverride(model, [
        `Swarm's additions to ${fileName}: docker stack deploy -c ${fileName} -c ${swarmName} STACK`,
      ]),
      secret: false,
    },
  ];
  for (const s of doc.secrets) {
    files.push({
      path: `${SECRETS_FOLDER}/${s.source}`,
      content: values.get(s.secret) ?? '',
      secret: true,
      owner: s.owner,
    });
  }
  for (const [service, env] of Object.entries(doc.envFiles)) {
    const content = Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join('');
    files.push({ path: `${SECRETS_FOLDER}/${service}.env`, content, secret: true });
  }
  return { files, warnings };
}
