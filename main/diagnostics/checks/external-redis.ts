/**
 * Checks of an external Redis (spec.redis.external), in place of the Redis container's checks:
 * reachable with the stored password for the URL's ACL user, its certificate trusted for
 * `rediss://`, a version BullMQ runs on (an error below its minimum, a warning below the version
 * it recommends); and configured the way BullMQ needs: `maxmemory-policy noeviction` (other
 * policies may evict jobs' keys) and AOF on (else jobs are lost on a restart). Both warn only:
 * a managed Redis may not let Guildhall change them.
 */
import {
  BULLMQ_RECOMMENDED_REDIS,
  compareVersions,
  inspectExternalRedis,
  type ExternalRedisFacts,
} from '../../cluster/external-redis';
import { describeConnection } from '../../cluster/redis-connection';
import { toGuildhallError } from '../../util/errors';
import type { DiagnosticsContext } from '../context';
import { failed, passed, skipped, warning, type CheckResult, type DiagnosticCheck } from '../types';

const usesExternal = async (ctx: DiagnosticsContext) => (await ctx.spec()).redis.external !== null;

/** The external Redis's facts, read once per run, or the failure as a check result. */
const factsByContext = new WeakMap<DiagnosticsContext, Promise<ExternalRedisFacts | CheckResult>>();

function externalFacts(ctx: DiagnosticsContext): Promise<ExternalRedisFacts | CheckResult> {
  let facts = factsByContext.get(ctx);
  if (!facts) {
    facts = (async () => {
      const found = await ctx.redisConnection();
      if (!found.ok)
        return failed(found.error.message, [], found.error.hint ? [found.error.hint] : []);
      const secret = (await ctx.spec()).redis.external?.passwordSecret ?? null;
      try {
        return await inspectExternalRedis(found.connection, secret);
      } catch (err) {
        const error = toGuildhallError(err, 'redis-unavailable');
        return failed(error.message, [], error.hint ? [error.hint] : []);
      }
    })();
    factsByContext.set(ctx, facts);
  }
  return facts;
}

const isResult = (value: ExternalRedisFacts | CheckResult): value is CheckResult =>
  'status' in value;

export const externalRedisCheck: DiagnosticCheck = {
  id: 'redis.external',
  category: 'redis',
  title: 'External Redis reachable and password accepted',
  documentation:
    'The cluster uses an existing Redis instead of its own container. Guildhall and every pool must reach it at the address of its URL, log in as its ACL user with the stored password, trust its certificate (rediss://) and find a version BullMQ runs on.',
  applicable: usesExternal,
  async check(ctx) {
    const facts = await externalFacts(ctx);
    if (isResult(facts)) return facts;
    const found = await ctx.redisConnection();
    const where = found.ok ? describeConnection(found.connection) : 'its address';
    if (compareVersions(facts.version, BULLMQ_RECOMMENDED_REDIS) < 0) {
      return warning(
        `The external Redis at ${where} runs Redis ${facts.version}; BullMQ recommends ${BULLMQ_RECOMMENDED_REDIS} or newer.`,
        [],
        ['Some BullMQ features are slower or missing on older servers; upgrade when you can.'],
      );
    }
    return passed(`Redis ${facts.version} at ${where} answers and accepts the stored password.`);
  },
};

export const externalRedisConfigCheck: DiagnosticCheck = {
  id: 'redis.external-config',
  category: 'redis',
  title: 'External Redis configured for BullMQ',
  documentation:
    'BullMQ needs `maxmemory-policy noeviction` (any other policy may delete the keys of waiting jobs when memory runs short) and AOF persistence (without it a restart of Redis loses recent jobs).',
  applicable: usesExternal,
  async check(ctx) {
    const facts = await externalFacts(ctx);
    if (isResult(facts))
      return skipped('The external Redis could not be read (see the check above).');
    const problems: string[] = [];
    if (facts.maxmemoryPolicy !== null && facts.maxmemoryPolicy !== 'noeviction') {
      problems.push(
        `maxmemory-policy is ${facts.maxmemoryPolicy}: set it to noeviction (CONFIG SET maxmemory-policy noeviction, or in redis.conf / the provider's settings).`,
      );
    }
    if (facts.aof === false) {
      problems.push(
        "AOF is off: turn it on (CONFIG SET appendonly yes, or appendonly yes in redis.conf / the provider's persistence settings).",
      );
    }
    if (problems.length > 0) {
      return warning(
        `The external Redis is not configured the way BullMQ needs (${problems.length} setting${problems.length > 1 ? 's' : ''}).`,
        [],
        problems,
      );
    }
    return passed(
      facts.maxmemoryPolicy === null
        ? 'AOF is on (the eviction policy could not be read: the ACL user may not run CONFIG GET).'
        : 'maxmemory-policy is noeviction and AOF is on.',
    );
  },
};

export const EXTERNAL_REDIS_CHECKS: readonly DiagnosticCheck[] = [
  externalRedisCheck,
  externalRedisConfigCheck,
];
