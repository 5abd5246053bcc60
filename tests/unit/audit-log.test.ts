/**
 * The audit log file: entries chain by hash across rotation, the size bound holds, a changed
 * line is found (and `guildhall audit --verify` names it, exit 7), and arguments never carry
 * a secret.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditArgs, MAX_ARGS_CHARS } from '../../main/audit/audit-args';
import type { AuditEntryBody } from '../../main/audit/audit-entry';
import { AuditLog } from '../../main/audit/audit-log';
import { filterAuditEntries } from '../../main/audit/audit-query';
import { auditSinkFor, recordAction } from '../../main/audit/record';
import { runCli } from '../../main/cli/index';
import { createCore } from '../../main/core';
import { REDACTED } from '../../main/util/redact';

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gh-audit-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function body(n: number, extra: Partial<AuditEntryBody> = {}): AuditEntryBody {
  return {
    time: new Date(1_700_000_000_000 + n * 1000).toISOString(),
    face: 'cli',
    user: 'tester',
    action: 'cluster.scale',
    target: 'cluster:demo',
    args: { replicas: n },
    outcome: 'ok',
    error: null,
    durationMs: 1,
    ...extra,
  };
}

function memoryIO() {
  const out = { stdout: '', stderr: '' };
  const stream = (key: 'stdout' | 'stderr') =>
    ({
      write: (text: string) => {
        out[key] += text;
        return true;
      },
      isTTY: false,
    }) as unknown as NodeJS.WriteStream;
  return {
    out,
    io: { stdout: stream('stdout'), stderr: stream('stderr'), onInterrupt: () => {} },
  };
}

describe('audit log', () => {
  it('chains every entry to the one before and verifies', async () => {
    const log = new AuditLog({ dir });
    const first = await log.append(body(1));
    const second = await log.append(body(2));
    expect(second.prev).toBe(first.hash);
    expect(await log.verify()).toMatchObject({ ok: true, entries: 2, problem: null });
    const mode = (await fs.stat(log.file)).mode & 0o777;
    expect(mode).toBe(0o600);
  });

  it('keeps the order of concurrent appends in one chain', async () => {
    const log = new AuditLog({ dir });
    const other = new AuditLog({ dir });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? log : other).append(body(i))));
    expect(await log.verify()).toMatchObject({ ok: true, entries: 20 });
  });

  it('keeps one chain and the size bound when two writers rotate at the same time', async () => {
    const options = { dir, maxFileBytes: 2_000, maxFiles: 3 };
    const [one, two] = [new AuditLog(options), new AuditLog(options)];
    await Promise.all(Array.from({ length: 80 }, (_, i) => (i % 2 ? one! : two!).append(body(i))));
    expect(await one!.verify()).toMatchObject({ ok: true, problem: null });
    for (const name of await one!.files()) {
      expect((await fs.stat(path.join(dir, name))).size).toBeLessThanOrEqual(2_000);
    }
  });

  it('finds a modified line, and `guildhall audit --verify` names it with exit 7', async () => {
    const core = createCore({ home: dir, version: 'test', workerContextDir: dir, env: {} });
    const { log } = auditSinkFor(core);
    for (let i = 1; i <= 4; i += 1) await log.append(body(i));
    const lines = (await fs.readFile(log.file, 'utf8')).trimEnd().split('\n');
    lines[2] = lines[2]!.replace('"replicas":3', '"replicas":30');
    await fs.writeFile(log.file, `${lines.join('\n')}\n`);

    const report = await log.verify();
    expect(report.ok).toBe(false);
    expect(report.problem).toMatchObject({ file: 'audit.jsonl', line: 3, reason: 'hash-mismatch' });

    const { io, out } = memoryIO();
    const code = await runCli(['audit', '--verify'], io, core);
    expect(code).toBe(7);
    expect(out.stderr).toContain('audit.jsonl line 3');
    expect(out.stdout).toContain('line 3');
  });

  it('finds a line whose hash was recomputed: the next entry no longer links to it', async () => {
    const log = new AuditLog({ dir });
    for (let i = 1; i <= 3; i += 1) await log.append(body(i));
    const lines = (await fs.readFile(log.file, 'utf8')).trimEnd().split('\n');
    lines.splice(1, 1); // a removed entry
    await fs.writeFile(log.file, `${lines.join('\n')}\n`);
    expect((await log.verify()).problem).toMatchObject({ line: 2, reason: 'broken-link' });
  });

  it('rotates within the size bound and keeps the chain across files', async () => {
    const maxFileBytes = 2_000;
    const log = new AuditLog({ dir, maxFileBytes, maxFiles: 3 });
    for (let i = 0; i < 60; i += 1) await log.append(body(i));
    const files = await log.files();
    expect(files).toEqual(['audit.2.jsonl', 'audit.1.jsonl', 'audit.jsonl']);
    let total = 0;
    for (const name of files) {
      const { size } = await fs.stat(path.join(dir, name));
      expect(size).toBeLessThanOrEqual(maxFileBytes);
      total += size;
    }
    expect(total).toBeLessThanOrEqual(3 * maxFileBytes);
    const report = await log.verify();
    expect(report).toMatchObject({ ok: true, problem: null });
    // The newest file's first entry links to the last one of the file rotated before it.
    const entries = await log.read();
    expect(entries.at(-1)?.args).toEqual({ replicas: 59 });
    const rotatedLast = (await fs.readFile(path.join(dir, 'audit.1.jsonl'), 'utf8'))
      .trimEnd()
      .split('\n')
      .at(-1)!;
    const currentFirst = (await fs.readFile(log.file, 'utf8')).split('\n')[0]!;
    expect(JSON.parse(currentFirst).prev).toBe(JSON.parse(rotatedLast).hash);
  });

  it('filters by face, action, target and time, newest first', async () => {
    const log = new AuditLog({ dir });
    await log.append(body(1, { face: 'cli', action: 'cluster.up' }));
    await log.append(body(2, { face: 'console', action: 'queues.clean', target: 'queue:shell' }));
    await log.append(body(3, { face: 'console', action: 'queues.retry', target: 'job:shell/7' }));
    const all = await log.read();
    const now = Date.parse(body(3).time) + 500;
    expect(filterAuditEntries(all, { face: 'console' }, now).entries.map((e) => e.action)).toEqual([
      'queues.retry',
      'queues.clean',
    ]);
    expect(filterAuditEntries(all, { action: 'queues' }, now).matched).toBe(2);
    expect(filterAuditEntries(all, { target: 'SHELL/7' }, now).entries).toHaveLength(1);
    expect(filterAuditEntries(all, { since: '1s' }, now).entries.map((e) => e.action)).toEqual([
      'queues.retry',
    ]);
  });
});

describe('audit arguments', () => {
  it('redact secret-looking keys, env values, stored secrets and URL passwords', () => {
    const args = auditArgs(
      {
        cluster: { workers: { env: { API_TOKEN: 'tok-123456', PLAIN: 'also hidden' } } },
        password: 'p4ssw0rd!',
        note: 'the value s3cr3t-value sits here; redis://:hunter22@127.0.0.1:6379',
        headers: { Authorization: 'Bearer abcdef' },
      },
      ['s3cr3t-value'],
    );
    const text = JSON.stringify(args);
    for (const secret of [
      'tok-123456',
      'also hidden',
      'p4ssw0rd!',
      's3cr3t-value',
      'hunter22',
      'abcdef',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('API_TOKEN');
    expect(text).toContain(REDACTED);
  });

  it('keep huge arguments to a bounded preview', () => {
    const wide = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [
        `k${i}`,
        Array.from({ length: 30 }, () => 'x'.repeat(300)),
      ]),
    );
    const text = JSON.stringify(auditArgs(wide, []));
    expect(text.length).toBeLessThanOrEqual(MAX_ARGS_CHARS);
    expect(text).toContain('"truncated":true');
  });

  it('redact secrets inside the job data the CLI gives as JSON text', async () => {
    const core = createCore({ home: dir, version: 'test', workerContextDir: dir, env: {} });
    const { io } = memoryIO();
    // No cluster: the add fails, and is recorded with its arguments all the same.
    const code = await runCli(
      ['add', 'http', '{"url": "http://x", "headers": {"Authorization": "Bearer zz-top-secret"}}'],
      io,
      core,
    );
    expect(code).not.toBe(0);
    const [entry] = await auditSinkFor(core).log.read();
    expect(entry).toMatchObject({ face: 'cli', action: 'queues.add', outcome: 'error' });
    expect(JSON.stringify(entry)).not.toContain('zz-top-secret');
  });

  it('records an action and its failure with the error, and keeps stored secrets out', async () => {
    const core = createCore({ home: dir, version: 'test', workerContextDir: dir, env: {} });
    await core.secrets.set('webhook:ops', 'https://hooks.example/very-secret-path');
    const sink = auditSinkFor(core);
    await expect(
      recordAction(
        sink,
        {
          face: 'api',
          action: 'settings.update',
          target: 'settings',
          args: { url: 'https://hooks.example/very-secret-path' },
        },
        async () => {
          throw new Error('failed near https://hooks.example/very-secret-path');
        },
      ),
    ).rejects.toThrow('failed near');
    const [entry] = await sink.log.read();
    expect(entry).toMatchObject({ face: 'api', outcome: 'error', error: { code: 'unexpected' } });
    const raw = await fs.readFile(sink.log.file, 'utf8');
    expect(raw).not.toContain('very-secret-path');
  });
});

describe('audit lock', () => {
  it('takes over a lock left by a process that died mid-write', async () => {
    // A pid that cannot be running: the lock was left behind by a killed process.
    await fs.writeFile(path.join(dir, 'audit.lock'), '2147483646');
    const log = new AuditLog({ dir });
    const started = Date.now();
    await log.append(body(1));
    // Without the pid check it would wait until the lock is stale (3 s).
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(await log.verify()).toMatchObject({ ok: true, entries: 1 });
  });
});
