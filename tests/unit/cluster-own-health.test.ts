/**
 * Guildhall's own view of health, which must not depend on the engine running healthchecks
 * (Podman without systemd never runs them: its health stays "starting").
 */
import { describe, expect, it } from 'vitest';
import {
  REDIS_ANSWER_GRACE_MS,
  redisHealth,
  WORKER_HEARTBEAT_GRACE_MS,
  workerHealth,
} from '../../main/cluster/own-health';

const late = WORKER_HEARTBEAT_GRACE_MS + 1_000;

describe('workerHealth', () => {
  it('a worker sending heartbeats is healthy though the engine never ran its healthcheck', () => {
    expect(workerHealth('starting', true, late)).toBe('healthy');
    expect(workerHealth('none', true, 1_000)).toBe('healthy');
  });

  it('a worker without a heartbeat past the grace period is unhealthy on every engine', () => {
    expect(workerHealth('starting', false, late)).toBe('unhealthy'); // Podman without systemd
    expect(workerHealth('healthy', false, late)).toBe('unhealthy'); // Docker, between its checks
    expect(workerHealth('none', false, late)).toBe('unhealthy');
  });

  it('a worker just started is given time to register', () => {
    expect(workerHealth('starting', false, 2_000)).toBe('starting');
    expect(workerHealth('none', false, 2_000)).toBe('starting');
  });

  it('keeps the engine’s failed check, and its verdict when Redis cannot be read', () => {
    expect(workerHealth('unhealthy', true, late)).toBe('unhealthy');
    expect(workerHealth('starting', null, late)).toBe('starting');
    expect(workerHealth('healthy', null, late)).toBe('healthy');
  });
});

describe('redisHealth', () => {
  it('a Redis answering PING is healthy though the engine never ran its healthcheck', () => {
    expect(redisHealth('starting', true, REDIS_ANSWER_GRACE_MS * 10)).toBe('healthy');
  });

  it('a running Redis that does not answer past the grace period is unhealthy', () => {
    expect(redisHealth('starting', false, REDIS_ANSWER_GRACE_MS + 1)).toBe('unhealthy');
    expect(redisHealth('starting', false, 1_000)).toBe('starting');
  });

  it('keeps the engine’s verdict once its check ran, and when Redis was not asked', () => {
    expect(redisHealth('healthy', null, 0)).toBe('healthy');
    expect(redisHealth('unhealthy', true, 0)).toBe('unhealthy');
    expect(redisHealth('starting', null, REDIS_ANSWER_GRACE_MS * 10)).toBe('starting');
  });
});
