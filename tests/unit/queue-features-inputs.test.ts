/**
 * The pure checks behind schedules, flows and limits: a cron refused naming its field, run times
 * from cron-parser in a time zone, flow shapes refused naming the node path, and the console's
 * limits form turned into a request or the field at fault.
 */
import { describe, expect, it } from 'vitest';
import { checkCron, checkTimeZone, nextRuns } from '../../main/queues/schedules/cron-check';
import { parseFlow } from '../../main/queues/flows/flow-inputs';
import { limitsRequest } from '../../renderer/src/lib/controls/limits-model';

const messageOf = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  return '';
};

describe('cron checks', () => {
  it('names the field at fault', () => {
    expect(messageOf(() => checkCron('0 24 * * *'))).toMatch(/the hour field "24"/);
    expect(messageOf(() => checkCron('0 0 0 * *'))).toMatch(/the day of month field "0"/);
    expect(messageOf(() => checkCron('*/5 * * * * * *'))).toMatch(/has 7 fields/);
    expect(messageOf(() => checkCron('61 0 0 * * *'))).toMatch(/the second field "61"/);
    expect(messageOf(() => checkTimeZone('Europe/Atlantis'))).toMatch(/not a known time zone/);
    expect(() => checkCron('0 9 * * MON-FRI')).not.toThrow();
  });

  it('expands a cron in its time zone and an interval from its start', () => {
    const from = Date.UTC(2027, 0, 1, 0, 0); // a Friday
    expect(nextRuns({ cron: '0 9 * * 1-5', tz: 'Asia/Tokyo' }, { from, count: 3 })).toEqual([
      Date.UTC(2027, 0, 4, 0, 0), // 09:00 in Tokyo is 00:00 UTC; Friday's has just passed
      Date.UTC(2027, 0, 5, 0, 0),
      Date.UTC(2027, 0, 6, 0, 0),
    ]);
    expect(nextRuns({ every: 1000 }, { from, count: 3, endDate: from + 1500 })).toEqual([
      from,
      from + 1000,
    ]);
  });
});

describe('flow shapes', () => {
  it('names the node path at fault', () => {
    expect(
      messageOf(() => parseFlow({ queue: 'a', children: [{ queue: 'b', children: [{}] }] })),
    ).toMatch(/children\.0\.children\.0\.queue/);
    expect(
      messageOf(() =>
        parseFlow({ queue: 'a', failParentOnFailure: true, ignoreDependencyOnFailure: true }),
      ),
    ).toMatch(/cannot both be true/);
    let deep: Record<string, unknown> = { queue: 'leaf' };
    for (let i = 0; i < 11; i += 1) deep = { queue: 'q', children: [deep] };
    expect(messageOf(() => parseFlow(deep))).toMatch(/12 levels deep; the limit is 10/);
  });
});

describe('limits form', () => {
  it('turns fields into a request, empty meaning no limit', () => {
    expect(limitsRequest('q', { concurrency: '1', rateMax: '', rateDurationMs: '' })).toEqual({
      ok: true,
      request: { queue: 'q', concurrency: 1, rateLimit: null },
    });
    expect(
      limitsRequest('q', { concurrency: '', rateMax: '5', rateDurationMs: '1000' }),
    ).toMatchObject({
      request: { concurrency: null, rateLimit: { max: 5, durationMs: 1000 } },
    });
    expect(limitsRequest('q', { concurrency: '0', rateMax: '', rateDurationMs: '' })).toEqual({
      ok: false,
      problem: 'concurrency',
    });
    expect(limitsRequest('q', { concurrency: '', rateMax: '5', rateDurationMs: '' })).toEqual({
      ok: false,
      problem: 'ratePair',
    });
  });
});
