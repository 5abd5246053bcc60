/**
 * The cluster model (cluster/container-model.ts) as one compose file that runs with
 * `docker compose up`, `docker-compose up` (v1) and `docker stack deploy` alike. Each of them
 * reads different keys, so the file keeps to what all three accept (format 3.8, no `name`,
 * `scale`, `cpus` or `mem_limit`, which `docker stack deploy` refuses): replicas and limits in
 * `deploy` (read by compose v2, by docker-compose 1.29 and by Swarm), both `restart` (compose) and
 * `deploy.restart_policy` (Swarm). Secrets are compose secrets backed by files beside the compose
 * file; the YAML names them and never holds a value. Pools on the internal network join an
 * `internal: true` network that only Redis shares. `$` is doubled everywhere: compose
 * interpolates every string, and the file has no variables of its own.
 */
import yaml from 'js-yaml';
import type { ClusterModel, ContainerModel, RedisModel } from '../cluster/container-model';

/** Folder of the secret files, relative to the compose file. */
export const SECRETS_FOLDER = 'secrets';

/** The network of pools with `network: internal`: `internal: true`, shared with Redis only. */
export const INTERNAL_NETWORK = 'internal';

/** Labels that group the services (Docker Desktop) without making them Guildhall's own. */
export const EXPORT_LABEL = {
  cluster: 'io.guildhall.export.cluster',
  pool: 'io.guildhall.export.pool',
} as const;

type Doc = Record<string, unknown>;

function quoteShell(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function duration(seconds: number): string {
  return `${seconds}s`;
}

function healthcheck(model: ContainerModel): Doc | undefined {
  const h = model.healthcheck;
  if (!h) return undefined;
  return {
    test: h.test,
    interval: duration(h.intervalSeconds),
    timeout: duration(h.timeoutSeconds),
    retries: h.retries,
    ...(h.startPeriodSeconds > 0 ? { start_period: duration(h.startPeriodSeconds) } : {}),
  };
}

/** Who reads the secret files the export writes, by service: their uid (default: the workers'). */
export type SecretOwners = Readonly<Record<string, number>>;

/** The uid the export writes secret files for when a service's own is not known. */
export const DEFAULT_SECRET_OWNER = 1000;

/**
 * A secret's compose name for a reader: compose bind-mounts the file as it is, so readers with
 * another uid get their own copy (`NAME-uid-N`; user secret names never hold a "-").
 */
export function secretSource(secret: string, owner: number): string {
  return owner === DEFAULT_SECRET_OWNER ? secret : `${secret}-uid-${owner}`;
}

/** A secret file the compose file names: its compose name, which secret it holds, its owner. */
export interface ComposeSecret {
  source: string;
  secret: string;
  owner: number;
}

/** What every service has, Redis's and the pools' alike. */
function serviceBase(
  model: ContainerModel,
  cluster: string,
  labels: Record<string, string>,
  owner: number,
): Doc {
  const limits: Doc = {
    ...(model.cpus > 0 ? { cpus: String(model.cpus) } : {}),
    ...(model.memoryMb > 0 ? { memory: `${model.memoryMb}M` } : {}),
  };
  const volumes = [
    ...model.volumes.map((v) => ({ type: 'volume', source: v.name, target: v.target })),
    ...model.binds.map((b) => ({
      type: 'bind',
      source: b.source,
      target: b.target,
      read_only: b.readOnly,
    })),
    ...model.tmpfs.map((t) => ({
      type: 'tmpfs',
      target: t.target,
      ...(t.sizeBytes ? { tmpfs: { size: t.sizeBytes } } : {}),
    })),
  ];
  const allLabels = { [EXPORT_LABEL.cluster]: cluster, ...labels };
  return {
    image: model.image,
    ...(model.command ? { command: model.command } : {}),
    ...(model.user ? { user: model.user } : {}),
    ...(Object.keys(model.env).length ? { environment: model.env } : {}),
    ...(model.secretFiles.length
      ? {
          // uid, gid and mode: read by Swarm, which copies secrets in (compose warns, ignores).
          secrets: model.secretFiles.map((f) => ({
            source: secretSource(f.secret, owner),
            target: f.target,
            uid: String(owner),
            gid: String(owner),
            mode: 0o400,
          })),
        }
      : {}),
    ...(volumes.length ? { volumes } : {}),
    ...(model.readOnlyRoot ? { read_only: true } : {}),
    ...(model.capDrop.length ? { cap_drop: model.capDrop } : {}),
    ...(model.capAdd.length ? { cap_add: model.capAdd } : {}),
    ...(model.noNewPrivileges ? { security_opt: ['no-new-privileges'] } : {}),
    ...(healthcheck(model) ? { healthcheck: healthcheck(model) } : {}),
    stop_grace_period: duration(model.stopGraceSeconds),
    restart: 'unless-stopped',
    labels: allLabels,
    deploy: {
      replicas: model.replicas,
      ...(Object.keys(limits).length ? { resources: { limits } } : {}),
      restart_policy: { condition: 'any' },
    },
  };
}

/**
 * Redis writes its config at start: the settings as the cluster has them, plus `requirepass`
 * read from the password secret, into a private file in /tmp (never in the YAML, env or command
 * line); then runs as the image runs it (the official image's entrypoint steps down to its user).
 */
export function redisStartScript(redis: RedisModel): string {
  const lines = redis.config.split('\n').filter((line) => line.trim() !== '');
  return [
    'umask 077',
    `printf '%s\\n' ${lines.map(quoteShell).join(' ')} > /tmp/redis.conf`,
    `printf 'requirepass %s\\n' "$(cat ${redis.passwordFile})" >> /tmp/redis.conf`,
    'if id redis >/dev/null 2>&1; then chown redis /tmp/redis.conf; fi',
    'if command -v docker-entrypoint.sh >/dev/null 2>&1; then exec docker-entrypoint.sh redis-server /tmp/redis.conf; fi',
    'exec redis-server /tmp/redis.conf',
  ].join('\n');
}

function redisService(redis: RedisModel, cluster: string): Doc {
  return {
    // Redis starts as root with DAC_OVERRIDE: it reads the workers' copy of the password.
    ...serviceBase(
      { ...redis, command: ['sh', '-c', redisStartScript(redis)] },
      cluster,
      { [EXPORT_LABEL.pool]: 'redis' },
      DEFAULT_SECRET_OWNER,
    ),
    ports: [`127.0.0.1:${redis.hostPort}:${redis.containerPort}`],
  };
}

/** Doubles every `$` in the document's strings: compose would interpolate them. */
function escapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$');
  if (Array.isArray(value)) return value.map(escapeDollars);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeDollars(v)]));
  }
  return value;
}

export interface ComposeDocument {
  /** The compose file's text (header comments, then YAML). */
  text: string;
  /** Secrets the file names, each backed by SECRETS_FOLDER/<source>. */
  secrets: ComposeSecret[];
  /** Env files with values of `secretEnv`, by service. */
  envFiles: Record<string, Record<string, string>>;
}

/** The compose document of a cluster model. */
export function composeDocument(
  model: ClusterModel,
  header: string[],
  owners: SecretOwners = {},
): ComposeDocument {
  const ownerOf = (service: string) => owners[service] ?? DEFAULT_SECRET_OWNER;
  const services: Record<string, Doc> = {};
  const envFiles: Record<string, Record<string, string>> = {};
  if (model.redis) services.redis = redisService(model.redis, model.cluster);
  for (const pool of model.pools) {
    const service = serviceBase(
      pool,
      model.cluster,
      { [EXPORT_LABEL.pool]: pool.service },
      ownerOf(pool.service),
    );
    if (Object.keys(pool.secretEnv).length) {
      envFiles[pool.service] = pool.secretEnv;
      service.env_file = [`./${SECRETS_FOLDER}/${pool.service}.env`];
    }
    if (model.redis) service.depends_on = ['redis'];
    if (pool.pool.spec.network === 'internal') service.networks = [INTERNAL_NETWORK];
    services[pool.service] = service;
  }
  // Pools on the internal network share one with no way out, and only Redis besides them.
  const internal = model.pools.some((pool) => pool.pool.spec.network === 'internal');
  if (internal && services.redis) services.redis.networks = ['default', INTERNAL_NETWORK];
  const bySource = new Map<string, ComposeSecret>();
  for (const m of [model.redis, ...model.pools]) {
    if (!m) continue;
    const owner = m === model.redis ? DEFAULT_SECRET_OWNER : ownerOf(m.service);
    for (const f of m.secretFiles) {
      const source = secretSource(f.secret, owner);
      bySource.set(source, { source, secret: f.secret, owner });
    }
  }
  const secrets = [...bySource.values()].sort((a, b) => a.source.localeCompare(b.source));
  const doc = {
    version: '3.8',
    services,
    ...(model.redis ? { volumes: { 'redis-data': {} } } : {}),
    ...(internal ? { networks: { default: {}, [INTERNAL_NETWORK]: { internal: true } } } : {}),
    ...(secrets.length
      ? {
          secrets: Object.fromEntries(
            secrets.map((s) => [s.source, { file: `./${SECRETS_FOLDER}/${s.source}` }]),
          ),
        }
      : {}),
  };
  const body = yaml.dump(escapeDollars(doc), { lineWidth: -1, noRefs: true, sortKeys: false });
  const text = [...header.map((line) => (line ? `# ${line}` : '#')), '', body].join('\n');
  return { text, secrets, envFiles };
}

/** The Swarm override's file name beside `composeFile`: compose.yaml → compose.swarm.yaml. */
export function swarmOverrideName(composeFile: string): string {
  const dot = composeFile.lastIndexOf('.');
  return dot > 0
    ? `${composeFile.slice(0, dot)}.swarm${composeFile.slice(dot)}`
    : `${composeFile}.swarm.yaml`;
}

/**
 * What Swarm needs besides the compose file, given after it (`-c compose.yaml -c
 * compose.swarm.yaml`): Redis's port published on its own node (`mode: host`) and found by DNS
 * (`endpoint_mode: dnsrr`) instead of through the routing mesh's virtual IP, which needs the
 * kernel's IPVS and, on Swarm, would publish on every node. The 3.x format has no host address
 * for Swarm: the port is on every interface of Redis's node.
 */
export function swarmOverride(model: ClusterModel, header: string[]): string {
  const services: Record<string, Doc> = {};
  if (model.redis) {
    services.redis = {
      ports: [
        {
          target: model.redis.containerPort,
          published: model.redis.hostPort,
          protocol: 'tcp',
          mode: 'host',
        },
      ],
      deploy: { endpoint_mode: 'dnsrr' },
    };
  }
  const body = yaml.dump({ version: '3.8', services }, { lineWidth: -1, noRefs: true });
  return [...header.map((line) => `# ${line}`), '', body].join('\n');
}
