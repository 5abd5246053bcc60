/** The event hub: events wait for a late subscriber (bounded), then flow live; slow or gone subscribers cannot hurt. */
import { describe, expect, it } from 'vitest';
import { EventHub } from '../../main/api/event-hub';

interface Events {
  progress: { step: string };
  log: string;
}

async function take<T>(iterator: AsyncIterator<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    const result = await iterator.next();
    if (result.done) break;
    out.push(result.value);
  }
  return out;
}

describe('EventHub', () => {
  it('holds events published before anyone listens and flushes them, in order, before live ones', async () => {
    const hub = new EventHub<Events>({ now: () => 42 });
    hub.publish('log', 'one');
    hub.publish('progress', { step: 'image' });
    hub.publish('log', 'two');
    expect(hub.heldStats()).toEqual({ held: 3, dropped: 0 });

    const sub = hub.subscribe();
    expect(hub.heldStats().held).toBe(0);
    hub.publish('log', 'live');
    const events = await take(sub, 4);
    expect(events.map((e) => e.data)).toEqual(['one', { step: 'image' }, 'two', 'live']);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(events[0]).toEqual({ seq: 1, at: 42, topic: 'log', data: 'one' });
    sub.close();
  });

  it('flushes held events once: a second subscriber sees only live events', async () => {
    const hub = new EventHub<Events>();
    hub.publish('log', 'early');
    const first = hub.subscribe();
    const second = hub.subscribe();
    hub.publish('log', 'late');
    expect((await take(first, 2)).map((e) => e.data)).toEqual(['early', 'late']);
    expect((await take(second, 1)).map((e) => e.data)).toEqual(['late']);
    first.close();
    second.close();
  });

  it('keeps held events of other topics for the subscriber that wants them', async () => {
    const hub = new EventHub<Events>();
    hub.publish('progress', { step: 'a' });
    hub.publish('log', 'x');
    const logs = hub.subscribe({ topics: ['log'] });
    expect((await take(logs, 1)).map((e) => e.data)).toEqual(['x']);
    expect(hub.heldStats().held).toBe(1);

    // While only a log subscriber exists, progress events are still held for a progress subscriber.
    hub.publish('progress', { step: 'b' });
    const progress = hub.subscribe({ topics: ['progress'] });
    expect((await take(progress, 2)).map((e) => e.data)).toEqual([{ step: 'a' }, { step: 'b' }]);
    expect(hub.heldStats().held).toBe(0);
    logs.close();
    progress.close();
  });

  it('bounds the hold, dropping the oldest and counting them (the seq gap shows it)', async () => {
    const hub = new EventHub<Events>({ holdLimit: 3 });
    for (let i = 1; i <= 5; i++) hub.publish('log', `e${i}`);
    expect(hub.heldStats()).toEqual({ held: 3, dropped: 2 });
    const sub = hub.subscribe();
    const events = await take(sub, 3);
    expect(events.map((e) => e.data)).toEqual(['e3', 'e4', 'e5']);
    expect(events[0]!.seq).toBe(3);
    sub.close();
  });

  it('bounds each subscriber queue so a slow subscriber cannot grow memory', async () => {
    const hub = new EventHub<Events>({ queueLimit: 2 });
    const slow = hub.subscribe();
    for (let i = 1; i <= 5; i++) hub.publish('log', `e${i}`);
    expect(slow.dropped).toBe(3);
    expect((await take(slow, 2)).map((e) => e.data)).toEqual(['e4', 'e5']);
    slow.close();
  });

  it('ends a waiting subscriber on return(), close() or abort, and forgets it', async () => {
    const hub = new EventHub<Events>();
    let changes = 0;
    hub.onSubscribersChanged(() => changes++);

    const returned = hub.subscribe();
    const pending = returned.next();
    await returned.return();
    expect(await pending).toEqual({ value: undefined, done: true });

    const controller = new AbortController();
    const aborted = hub.subscribe({ signal: controller.signal });
    const waiting = aborted.next();
    controller.abort();
    expect((await waiting).done).toBe(true);
    expect(aborted.isClosed).toBe(true);

    expect(hub.subscriberCount()).toBe(0);
    expect(changes).toBe(4);
    // With nobody listening again, new events are held for the next subscriber.
    hub.publish('log', 'after');
    expect(hub.heldStats().held).toBe(1);
  });

  it('counts subscribers per topic and ends every subscription on close()', async () => {
    const hub = new EventHub<Events>();
    const all = hub.subscribe();
    const logs = hub.subscribe({ topics: ['log'] });
    expect(hub.subscriberCount('progress')).toBe(1);
    expect(hub.subscriberCount('log')).toBe(2);
    hub.close();
    expect(await all.next()).toEqual({ value: undefined, done: true });
    expect(await logs.next()).toEqual({ value: undefined, done: true });
    expect(hub.subscriberCount()).toBe(0);
  });

  it('is an async iterable that for-await can consume and leave', async () => {
    const hub = new EventHub<Events>();
    hub.publish('log', 'a');
    hub.publish('log', 'b');
    const seen: string[] = [];
    for await (const event of hub.subscribe({ topics: ['log'] })) {
      if (event.topic === 'log') seen.push(event.data);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['a', 'b']);
    expect(hub.subscriberCount()).toBe(0);
  });
});
