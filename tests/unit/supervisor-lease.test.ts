/**
 * The supervisor lease's pure parts: who a process is as a supervisor, what the lease key holds
 * (the holder and a token, never readable as anything else), and how `status` says who supervises.
 */
import { describe, expect, it } from 'vitest';
import {
  LEASE_MS,
  newLeaseValue,
  parseLease,
  supervisorIdentity,
} from '../../main/supervisor/lease';
import { describeSupervisor } from '../../main/supervisor/supervisor-status';
import { TICK_MS } from '../../main/supervisor/supervisor';

describe('the supervisor lease', () => {
  it('names the holder by face, host and process id', () => {
    expect(supervisorIdentity('console', 'box', 42)).toEqual({
      id: 'console@box:42',
      face: 'console',
      host: 'box',
      pid: 42,
    });
  });

  it('stores the holder with a token and reads back only the holder', () => {
    const value = newLeaseValue(supervisorIdentity('supervise', 'box', 7), 1_000, 'secret-token');
    expect(JSON.parse(value)).toMatchObject({
      id: 'supervise@box:7',
      since: 1_000,
      token: 'secret-token',
    });
    expect(parseLease(value)).toEqual({
      id: 'supervise@box:7',
      face: 'supervise',
      host: 'box',
      pid: 7,
      since: 1_000,
    });
    // Two values for the same holder differ by their random token: only the writer can renew.
    const a = newLeaseValue(supervisorIdentity('app', 'box', 1), 1);
    const b = newLeaseValue(supervisorIdentity('app', 'box', 1), 1);
    expect(a).not.toBe(b);
  });

  it('reads anything that is not a lease as no holder', () => {
    for (const value of [null, '', 'x', '{}', '{"id":"a"}', '[1]'])
      expect(parseLease(value)).toBeNull();
  });

  it('outlives a few ticks, so a busy holder keeps it', () => {
    expect(LEASE_MS).toBeGreaterThanOrEqual(4 * TICK_MS);
  });

  it('says who supervises and since when, or why nobody does', () => {
    const base = { enabled: true, reachable: true, leaseMs: LEASE_MS };
    const since = Date.parse('2026-12-03T08:00:00Z');
    expect(
      describeSupervisor(
        { ...base, holder: { id: 'console@box:42', face: 'console', host: 'box', pid: 42, since } },
        since + 5 * 60_000,
      ),
    ).toBe('console@box:42 since 2026-12-03 08:00:00Z (5 min)');
    expect(describeSupervisor({ ...base, holder: null })).toMatch(/^nobody/);
    expect(describeSupervisor({ ...base, enabled: false, holder: null })).toMatch(/^off/);
    expect(describeSupervisor({ ...base, reachable: false, holder: null })).toMatch(/^unknown/);
  });
});
