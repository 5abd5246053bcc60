/**
 * The API over a paired in-process MessageChannel (node:worker_threads), as the Electron IPC
 * transport runs it: settings round trip, typed errors for bad input and unknown procedures,
 * and events held before a subscriber arrives. No container engine needed.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { createORPCClient, isDefinedError, ORPCError } from '@orpc/client';
import { RPCLink } from '@orpc/client/message-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/shared/contract';
import { ApiServices } from '../../main/api/context';
import { createApiHandlers } from '../../main/api/handlers';
import { serveApiOnPort } from '../../main/api/transports/message-port';
import { createCore } from '../../main/core';

let home: string;
let services: ApiServices;
let client: ApiClient;
let channel: MessageChannel;

beforeAll(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'ghapi-port-'));
  const core = createCore({ home, version: '9.9.9-test', workerContextDir: home, env: {} });
  services = new ApiServices({ core });
  channel = new MessageChannel();
  serveApiOnPort(createApiHandlers(), channel.port1, { services, transport: 'ipc' });
  client = createORPCClient(new RPCLink({ port: channel.port2 }));
});

afterAll(async () => {
  channel.port1.close();
  await services.close();
  await fs.rm(home, { recursive: true, force: true });
});

async function errorOf(promise: Promise<unknown>): Promise<ORPCError<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ORPCError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

describe('API over a MessagePort', () => {
  it('answers app.info with the transport it came over', async () => {
    expect(await client.app.info()).toEqual({ version: '9.9.9-test', transport: 'ipc' });
  });

  it('reads and updates settings, refusing invalid values with the field named', async () => {
    const before = await client.settings.get();
    expect(before.settings.version).toBe(1);
    const saved = await client.settings.update({
      app: { theme: 'dark' },
      cluster: { workers: { replicas: 3 } },
    });
    expect(saved.app.theme).toBe('dark');
    expect(saved.cluster.workers.replicas).toBe(3);
    expect(saved.cluster.redis.port).toBe(before.settings.cluster.redis.port);
    expect((await client.settings.get()).settings.app.theme).toBe('dark');

    const tooMany = await errorOf(
      client.settings.update({ cluster: { workers: { replicas: 1000 } } }),
    );
    expect(isDefinedError(tooMany)).toBe(true);
    expect(tooMany.data).toMatchObject({
      code: 'invalid-input',
      fields: ['cluster.workers.replicas'],
    });
    expect((await client.settings.get()).settings.cluster.workers.replicas).toBe(3);
  });

  it('sends input validation failures as invalid-input', async () => {
    const err = await errorOf(client.queues.jobs({ queue: 42 } as never));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.data).toMatchObject({ code: 'invalid-input', fields: ['queue'] });
    expect((err.data as { message: string }).message).toMatch(/queue/);
  });

  it('sends an unknown procedure as invalid-input', async () => {
    const unknown = (client as unknown as { nope: { what: () => Promise<unknown> } }).nope.what();
    const err = await errorOf(unknown);
    expect(err.data).toMatchObject({ code: 'invalid-input' });
    expect((err.data as { message: string }).message).toContain('nope.what');
  });

  it('delivers events published before anyone subscribed, then live ones', async () => {
    services.hub.publish('log', { level: 'info', message: 'before the window' });
    const stream = await client.events.subscribe({ topics: ['log'] });
    const next = async () => {
      const result = await stream.next();
      if (result.done) throw new Error('the event stream ended');
      return result.value;
    };
    // Held in publication order: the settings test above logged "Settings saved" (its refused
    // update logged nothing) before this test published its own line.
    const held = [await next(), await next()];
    expect(held.map((e) => e.topic === 'log' && e.data.message)).toEqual([
      'Settings saved',
      'before the window',
    ]);
    expect(held[0]!.seq).toBeLessThan(held[1]!.seq);
    services.hub.publish('log', { level: 'warn', message: 'live' });
    expect(await next()).toMatchObject({ topic: 'log', data: { level: 'warn', message: 'live' } });
    await stream.return(undefined);
    await expect.poll(() => services.hub.subscriberCount('log')).toBe(0);
  });
});
