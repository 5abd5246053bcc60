/**
 * `export compose`: the cluster in force as a compose file plus the secret files beside it, made
 * from the same container options the cluster runs (cluster/container-model.ts). The images are
 * the pools' local tags (what `up` and `image build` made), or the same under a registry after
 * `guildhall image push REGISTRY`. Writing puts the secrets in files of mode 0600 in a folder of
 * mode 0700; a preview never carries their values.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Core } from '../core';
import { clusterRedisUrl } from '../cluster/connection-url';
import { clusterModel, type ClusterModel } from '../cluster/container-model';
import { resolveClusterPoolHosts } from '../cluster/pool-host';
import { clusterPools, type ClusterSpec } from '../settings/cluster-spec';
import { userSecretKey } from '../settings/user-secrets';
import { GuildhallError } from '../util/errors';
import {
  composeDocument,
  SECRETS_FOLDER,
  swarmOverride,
  swarmOverrideName,
  type ExportFile,
} from './compose-file';
import { registryRef } from '../images/image-push';
import { WORKER_USER } from '@shared/worker-contract';

export const DEFAULT_COMPOSE_FILE = 'compose.yaml';

export interface ExportBundle {
  files: ExportFile[];
  /** Things the user must know or do before the files run (an image not built yet…). */
  warnings: string[];
}

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

/** The external Redis's password from the secret store (empty when it needs none). */
async function externalPassword(core: Core, spec: ClusterSpec): Promise<string> {
  const name = spec.redis.external?.passwordSecret;
  if (!name) return '';
  const value = await core.secrets.get(userSecretKey(name));
  if (value === null) {
    throw new GuildhallError(
      'invalid-input',
      `The external Redis's password secret ${name} is not stored.`,
      `Store it first: guildhall secret set ${name}`,
    );
  }
  return value;
}

/** The Redis URL custom pools read: the cluster's own, or the external one with its password. */
function poolRedisUrl(spec: ClusterSpec, password: string): string {
  const external = spec.redis.external;
  if (!external) return clusterRedisUrl(password);
  const url = new URL(external.url);
  if (password) {
    if (!url.username) url.username = 'default';
    url.password = password;
  }
  return url.toString();
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
  const redisPassword = spec.redis.external ? await externalPassword(core, spec) : clusterPassword;
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
  });
  const doc = composeDocument(model, headerLines(model, fileName), owners);
  const values = new Map<string, string>([
    ['redis-password', redisPassword],
    ['redis-url', poolRedisUrl(spec, redisPassword)],
  ]);
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
  if (spec.redis.external && (model.redisEndpoint.tls || model.redisEndpoint.user)) {
    warnings.push(
      'The external Redis uses TLS or an ACL user: built-in pools of this export connect with its host, port and password only.',
    );
  }
  return { files, warnings };
}

/** The bundle with every secret's value left out: what a preview shows. */
export function withoutSecretValues(bundle: ExportBundle): ExportBundle {
  return {
    ...bundle,
    files: bundle.files.map((f) => (f.secret ? { ...f, content: '' } : f)),
  };
}

/**
 * Writes the bundle with `composeFile` as the compose file's path: secrets in a 0700 folder
 * beside it, each 0600. Run as root, each is given to the uid of the containers reading it
 * (compose bind-mounts them as they are: the workers, uid 1000, could not read root's 0600
 * files, nor could a custom pool's root without capabilities read the workers'). Run as a user,
 * they are that user's.
 */
export async function writeExportBundle(
  composeFile: string,
  bundle: ExportBundle,
): Promise<string[]> {
  const dir = path.dirname(path.resolve(composeFile));
  const [workerUid, workerGid] = WORKER_USER.split(':').map(Number) as [number, number];
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const written: string[] = [];
  await fs.mkdir(path.join(dir, SECRETS_FOLDER), { recursive: true, mode: 0o700 });
  await fs.chmod(path.join(dir, SECRETS_FOLDER), 0o700);
  for (const file of bundle.files) {
    const target = path.join(dir, file.path);
    if (file.secret) {
      // Replaced, not rewritten in place: a file made by someone else keeps no other mode.
      await fs.rm(target, { force: true });
      await fs.writeFile(target, file.content, { mode: 0o600 });
      if (asRoot) await fs.chown(target, file.owner ?? workerUid, file.owner ?? workerGid);
    } else {
      await fs.writeFile(target, file.content);
    }
    written.push(target);
  }
  return written;
}
