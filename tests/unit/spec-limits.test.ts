import { describe, expect, it } from 'vitest';
import { clusterSpecSchema } from '../../main/settings/cluster-spec';
import {
  CLUSTER_NAME_PATTERN,
  SETUP_MIN_WORKERS,
  SPEC_LIMITS,
} from '../../main/shared/spec-limits';

/** The spec schema enforces the shared limits that the settings form and the wizard show. */
describe('spec limits', () => {
  const parse = (workers: Record<string, unknown>) =>
    clusterSpecSchema.safeParse({ workers }).success;

  it('accepts each range’s ends and refuses one step outside', () => {
    const { replicas, concurrency, memoryMb, stopTimeoutSeconds } = SPEC_LIMITS;
    for (const [field, range] of Object.entries({
      replicas,
      concurrency,
      memoryMb,
      stopTimeoutSeconds,
    })) {
      expect(parse({ [field]: range.min }), `${field} min`).toBe(true);
      expect(parse({ [field]: range.max }), `${field} max`).toBe(true);
      expect(parse({ [field]: range.min - 1 }), `${field} below`).toBe(false);
      expect(parse({ [field]: range.max + 1 }), `${field} above`).toBe(false);
    }
    const port = SPEC_LIMITS.redisPort;
    expect(clusterSpecSchema.safeParse({ redis: { port: port.max + 1 } }).success).toBe(false);
  });

  it('allows a cluster without workers; only setup asks for one', () => {
    expect(SPEC_LIMITS.replicas.min).toBe(0);
    expect(SETUP_MIN_WORKERS).toBe(1);
  });

  it('names clusters by the same pattern', () => {
    expect(clusterSpecSchema.safeParse({ name: 'Bad Name' }).success).toBe(false);
    expect(CLUSTER_NAME_PATTERN.test('Bad Name')).toBe(false);
    expect(clusterSpecSchema.safeParse({ name: 'ok-1' }).success).toBe(true);
  });
});
