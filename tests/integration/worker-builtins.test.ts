/**
 * The built-in queues (echo, sleep, shell, http) of the real worker bundle, driven through real
 * BullMQ against a real Redis. The test web server listens on 127.0.0.1, so the main worker
 * allows private networks; a second worker with the default shows what http jobs may not reach.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_ENV } from '../../main/shared/worker-contract';
import {
  buildWorkerBundle,
  isProcessGone,
  killRunningWorkers,
  queueClient,
  startTestRedis,
  startWorker,
  waitFor,
  type QueueClient,
  type RunningWorker,
  type TestRedis,
} from './worker-harness';

let redis: TestRedis;
let worker: RunningWorker;
let echo: QueueClient;
let sleep: QueueClient;
let shell: QueueClient;
let httpQueue: QueueClient;
let scratch: string;

beforeAll(async () => {
  buildWorkerBundle();
  redis = await startTestRedis();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ghwtest-builtins-'));
  worker = await startWorker(redis, {
    concurrency: 2,
    env: { [WORKER_ENV.allowPrivateNetworks]: '1' },
  });
  [echo, sleep, shell, httpQueue] = await Promise.all([
    queueClient(redis, 'echo'),
    queueClient(redis, 'sleep'),
    queueClient(redis, 'shell'),
    queueClient(redis, 'http'),
  ]);
});

afterAll(async () => {
  await Promise.all([echo, sleep, shell, httpQueue].map((client) => client?.close()));
  killRunningWorkers();
  await redis?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('echo and sleep', () => {
  it('echo returns the job data unchanged and records this worker as the processor', async () => {
    const data = { hello: 'world', list: [1, 2, 3], nested: { ok: true } };
    const job = await echo.add(data);
    expect(await echo.finished(job)).toEqual(data);
    const stored = await echo.queue.getJob(job.id ?? '');
    expect(stored?.processedBy).toBe(worker.name);
  });

  it('sleep waits the requested time, then reports it', async () => {
    const job = await sleep.add({ ms: 300 });
    expect(await sleep.finished(job)).toEqual({ sleptMs: 300 });
    const stored = await sleep.queue.getJob(job.id ?? '');
    expect((stored?.finishedOn ?? 0) - (stored?.processedOn ?? 0)).toBeGreaterThanOrEqual(300);
  });
});

describe('shell', () => {
  it('captures stdout and stderr into the result tails and the job log', async () => {
    const job = await shell.add({
      command: ['/bin/sh', '-c', 'echo out-1; echo err-1 >&2; echo out-2'],
    });
    const result = (await shell.finished(job)) as Record<string, unknown>;
    expect(result).toMatchObject({
      exitCode: 0,
      stdoutTail: 'out-1\nout-2\n',
      stderrTail: 'err-1\n',
    });
    expect(result.durationMs).toEqual(expect.any(Number));
    const { logs } = await shell.queue.getJobLogs(job.id ?? '');
    expect(logs).toEqual(expect.arrayContaining(['out-1', 'out-2', '[stderr] err-1']));
  });

  it('keeps only the newest 1000 lines in the job log and 64 KiB in the tails', async () => {
    const job = await shell.add({
      command: [
        '/bin/sh',
        '-c',
        'i=1; while [ $i -le 1500 ]; do echo "line $i"; i=$((i+1)); done; head -c 100000 /dev/zero | tr "\\0" x',
      ],
    });
    const result = (await shell.finished(job)) as { stdoutTail: string };
    expect(Buffer.byteLength(result.stdoutTail)).toBe(64 * 1024);
    expect(result.stdoutTail).toMatch(/^x+$/);
    const { logs, count } = await shell.queue.getJobLogs(job.id ?? '');
    expect(count).toBe(1000);
    expect(logs[0]).toBe('line 502');
    expect(logs.at(-2)).toBe('line 1500');
    // The final 100000-byte line without a newline is cut to 8 KiB.
    expect(logs.at(-1)).toMatch(/^x{8192} …\[line truncated\]$/);
  });

  it('runs without a shell unless shell: true, passing env to the command', async () => {
    const literal = await shell.run({
      command: ['echo', '$GREETING', 'a;b'],
      env: { GREETING: 'hi' },
    });
    expect(literal).toMatchObject({ stdoutTail: '$GREETING a;b\n' });
    const viaShell = await shell.run({
      command: ['echo', '$GREETING'],
      env: { GREETING: 'hi' },
      shell: true,
    });
    expect(viaShell).toMatchObject({ stdoutTail: 'hi\n' });
  });

  it('runs in the requested cwd', async () => {
    expect(await shell.run({ command: ['pwd'], cwd: scratch })).toMatchObject({
      stdoutTail: `${fs.realpathSync(scratch)}\n`,
    });
  });

  it('fails the job on a non-zero exit with the code and the last stderr line', async () => {
    const job = await shell.add({
      command: ['/bin/sh', '-c', 'echo first >&2; echo boom >&2; exit 3'],
    });
    await expect(shell.finished(job)).rejects.toThrow('command exited with code 3: boom');
    expect(await job.getState()).toBe('failed');
  });

  it('fails with a clear reason when the command does not exist', async () => {
    await expect(shell.run({ command: ['ghwtest-no-such-command'] })).rejects.toThrow(
      'command not found: ghwtest-no-such-command',
    );
  });

  it('says how to get a command the worker image lacks, with or without a shell', async () => {
    await expect(shell.run({ command: ['ghwtest-python3'] })).rejects.toThrow(
      'command not found: ghwtest-python3 (the worker image does not have it: build a worker base image that does',
    );
    await expect(
      shell.run({ command: ['ghwtest-python3 script.py'], shell: true }),
    ).rejects.toThrow(
      /^command exited with code 127: .*not found \(the worker image does not have it: .*Settings → Images → Worker base image\)$/,
    );
  });

  it('kills the whole process tree on timeout', async () => {
    const pidFile = path.join(scratch, 'grandchild.pid');
    const started = Date.now();
    const job = await shell.add({
      command: ['/bin/sh', '-c', `sleep 300 & echo $! > ${pidFile}; wait`],
      timeoutMs: 700,
    });
    await expect(shell.finished(job)).rejects.toThrow('timed out after 700 ms');
    expect(Date.now() - started).toBeLessThan(10_000);
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8').trim());
    expect(grandchild).toBeGreaterThan(1);
    await waitFor(
      'the grandchild to be gone',
      () => (isProcessGone(grandchild) ? true : undefined),
      5_000,
    );
  });

  it('rejects invalid data naming the field, without retries, and keeps processing', async () => {
    const bad = await shell.add({ command: [] }, { attempts: 3 });
    await expect(shell.finished(bad)).rejects.toThrow(
      'invalid job data: command: expected a non-empty array of strings',
    );
    const failed = await shell.queue.getJob(bad.id ?? '');
    expect(failed?.attemptsMade).toBe(1);

    await expect(shell.run({ command: 'ls' })).rejects.toThrow(
      'invalid job data: command: expected a non-empty array of strings',
    );
    await expect(shell.run({ command: ['ls'], timeoutMs: -5 })).rejects.toThrow('timeoutMs:');
    await expect(shell.run({ command: ['ls'], timeout: 5 })).rejects.toThrow(
      'unknown field(s): timeout',
    );
    await expect(sleep.run({ ms: 'soon' })).rejects.toThrow('invalid job data: ms:');

    expect(await shell.run({ command: ['echo', 'still here'] })).toMatchObject({
      stdoutTail: 'still here\n',
    });
    expect(worker.child.exitCode).toBeNull();
  });
});

describe('http', () => {
  let server: http.Server;
  let base: string;
  const received: { method?: string; contentType?: string; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ method: req.method, contentType: req.headers['content-type'], body });
        if (req.url === '/ok') {
          res.writeHead(200, { 'content-type': 'text/plain', 'x-ghwtest': 'yes' });
          res.end(`hello ${req.method}`);
        } else if (req.url === '/down') {
          res.writeHead(503, 'Service Unavailable');
          res.end('down for maintenance');
        } else if (req.url === '/big') {
          res.writeHead(200);
          res.end('x'.repeat(300 * 1024));
        } else if (req.url === '/hop') {
          res.writeHead(302, { location: '/ok' });
          res.end();
        } else if (req.url === '/to-metadata') {
          res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' });
          res.end();
        } else if (req.url === '/slow') {
          setTimeout(() => res.end('late'), 5_000).unref();
        } else {
          res.writeHead(404);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('returns status, headers and body', async () => {
    const result = await httpQueue.run({ url: `${base}/ok` });
    expect(result).toMatchObject({ status: 200, body: 'hello GET', bodyTruncated: false });
    expect((result as { headers: Record<string, string> }).headers['x-ghwtest']).toBe('yes');
  });

  it('sends a JSON body with a JSON content type', async () => {
    received.length = 0;
    await httpQueue.run({ url: `${base}/ok`, method: 'post', body: { a: 1 } });
    expect(received).toEqual([
      { method: 'POST', contentType: 'application/json', body: '{"a":1}' },
    ]);
  });

  it('returns a non-2xx response, and fails on it only with failOnHttpError', async () => {
    expect(await httpQueue.run({ url: `${base}/down` })).toMatchObject({
      status: 503,
      body: 'down for maintenance',
    });
    await expect(httpQueue.run({ url: `${base}/down`, failOnHttpError: true })).rejects.toThrow(
      `GET ${base}/down returned HTTP 503 Service Unavailable`,
    );
  });

  it('bounds the body to 256 KiB', async () => {
    const result = (await httpQueue.run({ url: `${base}/big` })) as {
      body: string;
      bodyTruncated: boolean;
    };
    expect(result.body.length).toBe(256 * 1024);
    expect(result.bodyTruncated).toBe(true);
  });

  it('fails on network errors and timeouts with the reason', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(httpQueue.run({ url: `http://127.0.0.1:${closedPort}/` })).rejects.toThrow(
      'ECONNREFUSED',
    );
    await expect(httpQueue.run({ url: `${base}/slow`, timeoutMs: 300 })).rejects.toThrow(
      `GET ${base}/slow timed out after 300 ms`,
    );
  });

  it('follows redirects, and never to a link-local address even with private networks allowed', async () => {
    expect(await httpQueue.run({ url: `${base}/hop` })).toMatchObject({
      status: 200,
      body: 'hello GET',
    });
    for (const url of [
      `${base}/to-metadata`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/',
      'http://[::ffff:169.254.169.254]/',
    ]) {
      await expect(httpQueue.run({ url }), url).rejects.toThrow(
        /is a link-local address \(such as a cloud metadata service\), which http jobs may never reach/,
      );
    }
  });

  it('refuses private and loopback addresses by default, by name too (after resolving it)', async () => {
    const guarded = await startTestRedis();
    const strict = await startWorker(guarded, { concurrency: 1 });
    const queue = await queueClient(guarded, 'http');
    try {
      const port = (server.address() as AddressInfo).port;
      const before = received.length;
      await expect(queue.run({ url: `http://127.0.0.1:${port}/ok` })).rejects.toThrow(
        `GET http://127.0.0.1:${port}/ok failed: 127.0.0.1 is a private or loopback address, which http jobs reach only when the cluster setting workers.allowPrivateNetworks is on`,
      );
      await expect(queue.run({ url: `http://localhost:${port}/ok` })).rejects.toThrow(
        /failed: localhost resolves to (127\.0\.0\.1|::1), a private or loopback address/,
      );
      for (const url of ['http://10.1.2.3/', 'http://192.168.0.1/', 'http://[fd12:3456::1]/']) {
        await expect(queue.run({ url }), url).rejects.toThrow(/a private or loopback address/);
      }
      await expect(queue.run({ url: 'http://169.254.169.254/' })).rejects.toThrow(/link-local/);
      expect(received.length, 'the test server was never reached').toBe(before);
    } finally {
      await queue.close();
      strict.child.kill('SIGTERM');
      await strict.exited;
      await guarded.stop();
    }
  });

  it('rejects a non-http URL naming the field', async () => {
    await expect(httpQueue.run({ url: 'ftp://example.com/file' })).rejects.toThrow(
      'invalid job data: url: expected an http:// or https:// URL',
    );
  });
});

describe('secrets', () => {
  it('never prints the Redis password', () => {
    expect(worker.output()).not.toContain(redis.password);
    expect(worker.output()).toContain('ready: waiting for jobs');
  });
});
