/**
 * Check titles and fix labels in the user's language. The core names them in English; known
 * ids get a translation (with their target or value, e.g. the worker number or port, taken from
 * the id or the English label), anything else is shown as the core wrote it.
 */
import { t, type MessageKey } from '../i18n/i18n.svelte';
import { splitFixId, type CheckOutcome, type FixAction } from './troubleshoot-model';

const CHECK_KEYS: Record<string, string> = {
  'engine.reachable': 'engineReachable',
  'engine.api-version': 'engineApiVersion',
  'engine.socket-permission': 'engineSocketPermission',
  'engine.docker-cli-target': 'engineDockerCliTarget',
  'engine.starts-containers': 'engineStartsContainers',
  'network.redis-port': 'networkRedisPort',
  'network.cluster-objects': 'networkClusterObjects',
  'images.present': 'imagesPresent',
  'redis.container': 'redisContainer',
  'redis.config': 'redisConfig',
  'workers.healthy': 'workersHealthy',
  'workers.secrets': 'workersSecrets',
  'jobs.stalling': 'jobsStalling',
  'host.disk': 'hostDisk',
  'host.memory': 'hostMemory',
};

export function checkTitle(result: Pick<CheckOutcome, 'id' | 'title'>): string {
  const key = CHECK_KEYS[result.id];
  return key ? t(`troubleshoot.check.${key}` as MessageKey) : result.title;
}

const FIX_KEYS: Record<string, string> = {
  retry: 'retry',
  'choose-free-port': 'chooseFreePort',
  'start-cluster': 'startCluster',
  'restart-cluster': 'restartCluster',
  'recreate-redis': 'recreateRedis',
  'restart-worker': 'restartWorker',
  'recreate-worker': 'recreateWorker',
  'pull-image': 'pullImage',
  'build-worker-image': 'buildWorkerImage',
  'load-image': 'loadImage',
  'reset-cluster': 'resetCluster',
  'reset-cluster-wipe': 'resetClusterWipe',
  'factory-reset': 'factoryReset',
};

/** Values the English label carries that the id does not: a port, an image reference. */
function labelValue(name: string, label: string): string | null {
  if (name === 'choose-free-port') return /port (\d+)/i.exec(label)?.[1] ?? null;
  if (name === 'pull-image') return /^Pull (\S+)/.exec(label)?.[1] ?? null;
  if (name === 'build-worker-image') return / on (\S+)$/.exec(label)?.[1] ?? null;
  return null;
}

/** A worker fix's target as users name the container: `2` → `worker-2`; `tools-1` as it is. */
function workerTarget(target: string): string {
  return /^\d+$/.test(target) ? `worker-${target}` : target;
}

export function fixLabel(fix: Pick<FixAction, 'id' | 'label'>): string {
  const { name, target } = splitFixId(fix.id);
  const key = FIX_KEYS[name];
  if (!key) return fix.label;
  const value = labelValue(name, fix.label);
  const needsValue =
    name === 'choose-free-port' || name === 'pull-image' || name === 'build-worker-image';
  if (needsValue && value === null) return fix.label;
  return t(`troubleshoot.fix.${key}` as MessageKey, {
    target: workerTarget(target ?? ''),
    value: value ?? '',
  });
}
