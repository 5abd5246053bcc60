/**
 * Fault injection at the console's edges, against the built `guildhall console` running as its
 * own process with a real cluster behind it:
 *  - job data exactly at the 512 KiB limit is accepted and runs unchanged; one byte over is
 *    refused with a clear error naming the size and the limit;
 *  - 10,000 malformed API calls (wrong types, huge strings, missing and unknown fields, unknown
 *    procedures, unreadable bodies) over HTTP and WebSocket, 16 at a time: each gets a clear
 *    error, the process stays alive and answers valid calls, its memory does not balloon;
 *  - the settings file corrupted while the console runs: the next read reports the backup and
 *    loads defaults, and the backup holds the corrupt file's exact bytes.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createORPCClient, ORPCError } from '@orpc/client';
import { RPCLink as WebSocketLink } from '@orpc/client/websocket';
import { isContractProcedure, type AnyContractProcedure } from '@orpc/contract';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiContract, apiErrorDataSchema, type ApiClient } from '../../main/shared/contract';
import { settingsSchema } from '../../main/settings/settings-schema';
import { MAX_JOB_DATA_BYTES } from '../../main/queues/index';
import {
  memoryOf,
  recordFaultResult,
  seconds,
  startConsoleChild,
  today,
  type ConsoleChild,
} from './helpers/faults-kit';
import { waitFor } from './helpers/queues-fixture';
import { createTestCluster, type TestCluster } from './helpers/test-cluster';

const CALLS = 10_000;
const CONCURRENCY = 16;
const SEED = 20_261_121;

let tc: TestCluster;
let consoleChild: ConsoleChild;
let password: string;
const sockets: WebSocket[] = [];
const results: string[] = [];

beforeAll(async () => {
  tc = await createTestCluster({ workers: 1 });
  await tc.core.cluster.up();
  password = decodeURIComponent(new URL(await tc.core.cluster.connectionUrl()).password);
  consoleChild = await startConsoleChild(tc.env);
});

afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  if (results.length > 0) {
    await recordFaultResult(
      'api-abuse',
      `### The console's edges: payload limit, 10,000 malformed calls, a corrupted settings file (${today()})

Against the built \`guildhall console\` (its own process) with a running cluster (Redis + 1 worker).

| measure | value |
| --- | --- |
${results.join('\n')}
`,
    );
  }
  await consoleChild?.stop();
  await tc?.cleanup();
});

async function openWebSocketClient(): Promise<ApiClient> {
  const url = `${consoleChild.origin.replace(/^http/, 'ws')}/ws?token=${encodeURIComponent(consoleChild.token)}`;
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  sockets.push(socket);
  return createORPCClient(
    new WebSocketLink({ websocket: socket as unknown as globalThis.WebSocket }),
  );
}

function call(client: ApiClient, route: string[], input: unknown): Promise<unknown> {
  let target: unknown = client;
  for (const key of route) target = (target as Record<string, unknown>)[key];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

async function errorOf(
  promise: Promise<unknown>,
): Promise<ORPCError<string, unknown> | Error | null> {
  try {
    await promise;
    return null;
  } catch (err) {
    return err as Error;
  }
}

describe('job data at the 512 KiB limit', () => {
  it('exactly 512 KiB is accepted and runs unchanged; one byte more is a clear error', async () => {
    const ws = await openWebSocketClient();
    const exact = { p: 'x'.repeat(MAX_JOB_DATA_BYTES - '{"p":""}'.length) };
    const over = { p: `${exact.p}y` };
    expect(Buffer.byteLength(JSON.stringify(exact))).toBe(MAX_JOB_DATA_BYTES);
    expect(Buffer.byteLength(JSON.stringify(over))).toBe(MAX_JOB_DATA_BYTES + 1);

    for (const [transport, client] of [
      ['HTTP', consoleChild.http],
      ['WebSocket', ws],
    ] as const) {
      const added = await client.queues.add({
        queue: 'echo',
        name: `limit-${transport}`,
        data: exact,
      });
      let detail: Awaited<ReturnType<ApiClient['queues']['job']>> | undefined;
      await waitFor(
        async () => {
          detail = await client.queues.job({ queue: 'echo', id: added.id });
          return detail.state === 'completed' || detail.state === 'failed';
        },
        30_000,
        `the ${transport} 512 KiB job to finish`,
        200,
      );
      expect(detail!.state).toBe('completed');
      expect(detail!.data).toEqual(exact);
      expect(detail!.returnvalue).toEqual(exact);

      const refused = await errorOf(
        client.queues.add({ queue: 'echo', name: `over-${transport}`, data: over }),
      );
      expect(refused).toBeInstanceOf(ORPCError);
      const data = apiErrorDataSchema.parse((refused as ORPCError<string, unknown>).data);
      expect(data.code).toBe('invalid-input');
      expect(data.message).toContain(`${MAX_JOB_DATA_BYTES + 1} bytes`);
      expect(data.message).toContain(`the limit is 512 KiB (${MAX_JOB_DATA_BYTES} bytes)`);
      expect(data.message.length).toBeLessThan(1_000);
      results.push(
        `| job data of exactly ${MAX_JOB_DATA_BYTES} bytes over ${transport} | accepted, completed, returned unchanged |`,
        `| job data of ${MAX_JOB_DATA_BYTES + 1} bytes over ${transport} | refused: ${data.code} “${data.message}” |`,
      );
    }
    const counts = await consoleChild.http.queues.counts({ queue: 'echo' });
    expect(counts.counts.completed).toBe(2);
  });
});

/* ---------- 10,000 malformed calls ---------- */

type Procedure = { path: string[]; procedure: AnyContractProcedure };

function procedures(router: object, prefix: string[] = []): Procedure[] {
  return Object.entries(router).flatMap(([key, value]): Procedure[] =>
    isContractProcedure(value)
      ? [{ path: [...prefix, key], procedure: value }]
      : procedures(value as object, [...prefix, key]),
  );
}

const withInput = procedures(apiContract).filter(
  (p) => p.procedure['~orpc'].inputSchema !== undefined,
);

/** A small seeded PRNG (mulberry32), so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIELD_NAMES = [
  'queue',
  'id',
  'name',
  'data',
  'options',
  'replicas',
  'number',
  'target',
  'lines',
  'tail',
  'topics',
  'workers',
  'redisPort',
  'waitForWorkers',
  'operationId',
  'volumes',
  'state',
  'start',
  'end',
  'minutes',
  'graceMs',
  'limit',
  'includeDelayed',
  'cluster',
  'app',
  'engine',
  'attempts',
  'constructor',
  'prototype',
  '',
];
// No "__proto__" key through the oRPC client: its serializer assigns keys, so that key never
// leaves the client. Those go as raw bodies instead (see RAW_BODIES).
const RAW_BODIES = [
  '{"json": {"queue": ',
  '\u0000\u00ff\u0001',
  '[[[[',
  '{"json":',
  'null null',
  '{"json":{"__proto__":{"polluted":true}}}',
  '{"json":{"constructor":{"prototype":{"polluted":true}}}}',
];
const HUGE = 'Z'.repeat(400_000);

function malformedGenerator(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const hugeString = () => HUGE.slice(0, 100_000 + Math.floor(random() * 300_000));
  const scalar = (): unknown =>
    pick([
      () => Math.floor(random() * 2e9) - 1e9,
      () => random() * 1e308,
      () => -1,
      () => 0.5,
      () => '',
      () => 'a string',
      () => '🦀'.repeat(Math.floor(random() * 50)),
      () => (random() < 0.15 ? hugeString() : 'x'.repeat(Math.floor(random() * 300))),
      () => true,
      () => false,
      () => null,
      () => [],
      () => [1, 'two', null],
      () => ({}),
    ])();
  const value = (depth: number): unknown => {
    const roll = random();
    if (depth > 3 || roll < 0.5) return scalar();
    if (roll < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    return Object.fromEntries(
      Array.from({ length: 1 + Math.floor(random() * 4) }, () => [
        pick(FIELD_NAMES),
        value(depth + 1),
      ]),
    );
  };
  const deep = (levels: number): unknown => {
    let out: unknown = 1;
    for (let i = 0; i < levels; i++) out = random() < 0.5 ? [out] : { queue: out };
    return out;
  };
  return {
    pick,
    input(): unknown {
      const roll = random();
      if (roll < 0.2) return scalar();
      if (roll < 0.3) return {};
      if (roll < 0.35) return deep(100 + Math.floor(random() * 900));
      return value(0);
    },
  };
}

/** Control and replacement characters as \\uXXXX, so a quoted message stays readable text. */
function escapeControl(text: string): string {
  return [...text]
    .map((c) => {
      const code = c.charCodeAt(0);
      const control = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0xfffd;
      return control ? `\\u${code.toString(16).padStart(4, '0')}` : c;
    })
    .join('');
}

async function rejectedBy(procedure: AnyContractProcedure, input: unknown): Promise<boolean> {
  const result = await procedure['~orpc'].inputSchema!['~standard'].validate(input);
  return Boolean(result.issues);
}

interface Outcome {
  kind: 'http' | 'websocket' | 'raw-body' | 'unknown-procedure';
  clear: boolean;
  problem?: string;
}

describe('10,000 malformed API calls', () => {
  it('each gets a clear error; the process stays up, answers, and its memory stays bounded', async () => {
    const random = prng(SEED);
    const generate = malformedGenerator(random);
    const wsClients = await Promise.all(Array.from({ length: 4 }, () => openWebSocketClient()));
    const pid = consoleChild.child.pid!;
    // Warm up (code paths loaded, caches filled) before the baseline reading.
    for (let i = 0; i < 50; i++)
      await errorOf(consoleChild.http.queues.jobs({ queue: 5 } as never));
    const before = await memoryOf(pid);

    const outcomes: Outcome[] = [];
    let skippedValid = 0;
    let next = 0;

    const checkError = (err: unknown, expectedCode = 'invalid-input'): string | undefined => {
      if (!(err instanceof ORPCError)) return `not an API error: ${String(err).slice(0, 200)}`;
      const parsed = apiErrorDataSchema.safeParse(err.data);
      if (!parsed.success)
        return `error without { code, message }: ${JSON.stringify(err.data).slice(0, 200)}`;
      const { code, message } = parsed.data;
      if (code !== expectedCode) return `code ${code}: ${message.slice(0, 200)}`;
      if (message.length === 0 || message.length > 2_000)
        return `message of ${message.length} chars`;
      if (message.includes(HUGE.slice(0, 1_000))) return 'message echoes the huge input';
      if (message.includes(password)) return 'message contains the Redis password';
      return undefined;
    };

    // Every call is planned up front from the seed, so a failing run can be replayed exactly.
    type Plan =
      | { kind: 'raw-body'; route: string; body: string }
      | { kind: 'unknown-procedure' | 'http' | 'websocket'; route: string[]; input: unknown };
    const plans: Plan[] = [];
    while (plans.length < CALLS) {
      const n = plans.length;
      const roll = random();
      if (roll < 0.03) {
        plans.push({
          kind: 'raw-body',
          route: generate.pick(withInput).path.join('/'),
          body: generate.pick(RAW_BODIES),
        });
      } else if (roll < 0.13) {
        const route = generate.pick([
          ['nope'],
          ['cluster', 'explode'],
          ['queues', 'add', 'deeper'],
          ['settings', 'delete'],
          ['__proto__', 'polluted'],
          ['x'.repeat(2_000)],
        ]);
        plans.push({ kind: 'unknown-procedure', route, input: generate.input() });
      } else {
        const { path: route, procedure } = generate.pick(withInput);
        const input = generate.input();
        if (!(await rejectedBy(procedure, input))) {
          skippedValid++; // valid by chance: never sent (it would act on the cluster)
          continue;
        }
        plans.push({ kind: n % 2 === 0 ? 'http' : 'websocket', route, input });
      }
    }

    async function one(n: number): Promise<Outcome> {
      const plan = plans[n]!;
      if (plan.kind === 'raw-body') {
        // An unreadable body straight at a real procedure.
        const response = await fetch(`${consoleChild.origin}/api/${plan.route}`, {
          method: 'POST',
          body: plan.body,
          headers: {
            authorization: `Bearer ${consoleChild.token}`,
            'content-type': 'application/json',
          },
        });
        const text = await response.text();
        const clear = response.status === 400 && text.includes('invalid-input');
        return {
          kind: 'raw-body',
          clear,
          problem: clear ? undefined : `HTTP ${response.status}: ${text.slice(0, 200)}`,
        };
      }
      const client = n % 2 === 0 ? consoleChild.http : wsClients[n % wsClients.length]!;
      const err = await errorOf(call(client, plan.route, plan.input));
      const problem = err === null ? 'accepted malformed input' : checkError(err);
      return {
        kind: plan.kind,
        clear: !problem,
        problem:
          problem &&
          `${plan.route.join('.').slice(0, 60)} over ${n % 2 === 0 ? 'HTTP' : 'WebSocket'}: ${problem}`,
      };
    }

    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CALLS) {
          const n = next++;
          outcomes.push(await one(n));
        }
      }),
    );
    const elapsedMs = Date.now() - started;
    const after = await memoryOf(pid);
    const alive = consoleChild.child.exitCode === null;
    const info = alive ? await consoleChild.http.app.info() : null;
    const status = alive ? await consoleChild.http.cluster.status() : null;

    const unclear = outcomes.filter((o) => !o.clear);
    const byKind = (kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
    results.push(
      `| malformed calls sent (seed ${SEED}, ${CONCURRENCY} at a time) | ${outcomes.length} in ${seconds(elapsedMs)}: ${byKind('http')} HTTP, ${byKind('websocket')} WebSocket, ${byKind('unknown-procedure')} to unknown procedures (either), ${byKind('raw-body')} unreadable HTTP bodies; ${skippedValid} generated inputs were valid by chance and not sent |`,
      `| answered with a clear error (code invalid-input, a message under 2,000 chars that neither echoes the input nor holds the password) | ${outcomes.length - unclear.length} of ${outcomes.length}${
        unclear.length
          ? `; first problems: ${unclear
              .slice(0, 3)
              .map((o) => o.problem)
              .join(' / ')}`
          : ''
      } |`,
      `| console process afterwards | ${alive ? `alive; app.info → ${info?.transport}, cluster.status → ${status?.state}` : `exited ${consoleChild.child.exitCode}`} |`,
      `| console RSS before → after (peak) | ${(before.rssKb / 1024).toFixed(1)} MB → ${(after.rssKb / 1024).toFixed(1)} MB (peak ${(after.hwmKb / 1024).toFixed(1)} MB); bound 2 × before + 50 MB = ${((2 * before.rssKb) / 1024 + 50).toFixed(1)} MB |`,
    );

    expect(outcomes).toHaveLength(CALLS);
    expect(unclear.slice(0, 5)).toEqual([]);
    expect(byKind('raw-body')).toBeGreaterThan(100);
    expect(byKind('unknown-procedure')).toBeGreaterThan(500);
    expect(alive).toBe(true);
    expect(info).toMatchObject({ transport: 'http' });
    expect(status?.state).toBe('running');
    expect(after.rssKb).toBeLessThan(2 * before.rssKb + 50 * 1024);
    expect(consoleChild.output()).not.toMatch(/unexpected error/i);
    expect(consoleChild.output()).not.toContain(password);
  });
});

/* ---------- a corrupted settings file ---------- */

describe('the settings file corrupted while the console runs', () => {
  it('the next read reports the backup and loads defaults; the backup holds the exact bytes', async () => {
    // Its own console and settings folder: defaults mean the default cluster name, which must
    // never reach the test cluster above.
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'ghfaults-settings-'));
    const child = await startConsoleChild({ ...process.env, GUILDHALL_HOME: home });
    try {
      const first = await child.http.settings.get();
      expect(first.warnings).toEqual([]);
      const file = path.join(home, 'settings.json');
      const good = await fs.readFile(file);
      const parsedGood = JSON.parse(good.toString('utf8')) as {
        cluster: { workers: Record<string, unknown> };
      };
      const corruptions: [string, Buffer][] = [
        ['cut off mid-write', good.subarray(0, Math.floor(good.length / 2))],
        [
          'valid JSON, invalid values',
          Buffer.from(
            JSON.stringify({
              ...parsedGood,
              cluster: {
                ...parsedGood.cluster,
                workers: { ...parsedGood.cluster.workers, replicas: 'lots' },
              },
            }),
          ),
        ],
        ['binary garbage', Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x22, 0x80, 0x81, 0x0a, 0x00])],
        ['empty file', Buffer.alloc(0)],
      ];
      const defaults = settingsSchema.parse({});
      for (const [what, bytes] of corruptions) {
        await fs.writeFile(file, bytes);
        const read = await child.http.settings.get();
        expect(read.warnings).toHaveLength(1);
        const warning = read.warnings[0]!;
        const backup = /kept as (\S+?) and Guildhall started/.exec(warning)?.[1];
        expect(backup, warning).toBeDefined();
        expect(path.dirname(backup!)).toBe(home);
        expect(Buffer.compare(await fs.readFile(backup!), bytes)).toBe(0);
        expect(read.settings).toEqual(defaults);
        // The defaults were written back: the next read is clean and nothing new is backed up.
        const again = await child.http.settings.get();
        expect(again.warnings).toEqual([]);
        // The warning quotes JSON.parse, which may quote the file's raw (control) characters.
        const shown = escapeControl(warning.replace(home, '<home>'));
        results.push(
          `| settings file ${what} (${bytes.length} bytes) | “${shown}”; backup bytes identical; defaults loaded; next read clean |`,
        );
      }
      const backups = (await fs.readdir(home)).filter((name) =>
        name.startsWith('settings.json.corrupt-'),
      );
      expect(backups).toHaveLength(corruptions.length);
      expect(child.child.exitCode).toBeNull();
    } finally {
      expect(await child.stop()).toBe(0);
      await fs.rm(home, { recursive: true, force: true });
    }
  });
});
