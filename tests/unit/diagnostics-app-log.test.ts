import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAppLog } from '../../main/util/app-log';
import { scrub, scrubObject } from '../../main/util/secret-text';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghdiag-log-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const PASSWORD = 'f00dcafe1234567890abcdefdeadbeef0123456789abcdef';

function readLines(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('app log', () => {
  it('writes leveled JSON lines with scope and fields to <dir>/guildhall.log', () => {
    const log = openAppLog({ dir, level: 'info' });
    log.child('doctor').info('checks finished', { failed: 1, ids: ['a'] });
    log.debug('not written at info level');
    log.error('it broke', {
      error: Object.assign(new Error('engine gone'), { code: 'ECONNREFUSED' }),
    });
    expect(log.file).toBe(path.join(dir, 'guildhall.log'));
    const lines = readLines(log.file);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 'info',
      scope: 'doctor',
      msg: 'checks finished',
      failed: 1,
      ids: ['a'],
    });
    expect(typeof lines[0]!.t).toBe('string');
    expect(lines[1]).toMatchObject({
      level: 'error',
      error: { name: 'Error', message: 'engine gone', code: 'ECONNREFUSED' },
    });
    if (process.platform !== 'win32') expect(fs.statSync(log.file).mode & 0o777).toBe(0o600);
  });

  it('never writes a registered password, in any form or field', () => {
    const log = openAppLog({ dir });
    log.addSecret(PASSWORD);
    log.info(`connected with ${PASSWORD}`, {
      url: `redis://:${PASSWORD}@127.0.0.1:6379`,
      encoded: Buffer.from(PASSWORD).toString('base64'),
      nested: { note: `pw=${PASSWORD}` },
      password: 'another-secret-value',
      redisPassword: 'x-y-z-secret',
      error: new Error(`AUTH ${PASSWORD} failed`),
    });
    const text = fs.readFileSync(log.file, 'utf8');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64').replace(/=+$/, ''));
    expect(text).not.toContain('another-secret-value');
    expect(text).not.toContain('x-y-z-secret');
    expect(text).toContain('«redacted»');
    expect(text).toContain('127.0.0.1:6379');
  });

  it('rotates by size and keeps at most maxFiles files', () => {
    const log = openAppLog({ dir, fileName: 'rot.log', maxBytes: 1_000, maxFiles: 3 });
    for (let i = 0; i < 60; i++) log.info(`line ${i}`, { pad: 'x'.repeat(80) });
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['rot.log', 'rot.log.1', 'rot.log.2']);
    for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(1_000);
    // The newest line is in the current file, older ones in .1, the oldest kept in .2.
    const current = readLines(path.join(dir, 'rot.log'));
    expect(current.at(-1)!.msg).toBe('line 59');
    const older = readLines(path.join(dir, 'rot.log.1'));
    expect(Number(String(older.at(-1)!.msg).split(' ')[1])).toBeLessThan(
      Number(String(current[0]!.msg).split(' ')[1]),
    );
    expect(log.files()).toEqual(
      ['rot.log', 'rot.log.1', 'rot.log.2'].map((f) => path.join(dir, f)),
    );
  });

  it('returns one logger per file, so secrets registered anywhere apply everywhere', () => {
    const a = openAppLog({ dir, fileName: 'shared.log' });
    const b = openAppLog({ dir, fileName: 'shared.log' }).child('other');
    a.addSecret(PASSWORD);
    b.warn(PASSWORD);
    expect(fs.readFileSync(a.file, 'utf8')).not.toContain(PASSWORD);
  });

  it('never throws when the folder cannot be written', () => {
    const blocker = path.join(dir, 'not-a-dir');
    fs.writeFileSync(blocker, 'file');
    const log = openAppLog({ dir: path.join(blocker, 'logs') });
    expect(() => log.info('hello')).not.toThrow();
    expect(log.lastWriteError).toBeTruthy();
  });
});

describe('secret scrubbing', () => {
  it('removes raw, URL-encoded and base64 forms of a secret', () => {
    const secret = 'p@ss/word+123';
    const text = [
      secret,
      encodeURIComponent(secret),
      Buffer.from(secret).toString('base64'),
      JSON.stringify({ s: secret }),
    ].join(' | ');
    const out = scrub(text, [secret]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).not.toContain(Buffer.from(secret).toString('base64'));
  });

  it('keeps env names and drops every value, whatever the name; blanks secret-looking keys', () => {
    const innocent = {
      STRIPE_KEY: 'sk_live_1',
      AWS_ACCESS_KEY_ID: 'AKIA1',
      GITHUB_PAT: 'ghp_1',
      SIGNING_KEY: 'sig-1',
      SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x',
    };
    const out = scrubObject({
      Config: {
        Env: [
          'GUILDHALL_REDIS_PASSWORD_FILE=/run/guildhall/redis-password',
          'API_TOKEN=abc123',
          'GUILDHALL_QUEUES=echo',
          ...Object.entries(innocent).map(([k, v]) => `${k}=${v}`),
          'PATH=/usr/bin',
        ],
      },
      cluster: { workers: { env: { DB_PASSWORD: 'hunter2', MODE: 'fast', ...innocent } } },
      apiKey: 'k-123',
    }) as {
      Config: { Env: string[] };
      cluster: { workers: { env: Record<string, string> } };
      apiKey: string;
    };
    const dropped = Object.fromEntries(Object.keys(innocent).map((k) => [k, '«redacted»']));
    expect(out.Config.Env).toEqual([
      'GUILDHALL_REDIS_PASSWORD_FILE=/run/guildhall/redis-password',
      'API_TOKEN=«redacted»',
      'GUILDHALL_QUEUES=echo',
      ...Object.keys(innocent).map((k) => `${k}=«redacted»`),
      'PATH=«redacted»',
    ]);
    expect(out.cluster.workers.env).toEqual({
      DB_PASSWORD: '«redacted»',
      MODE: '«redacted»',
      ...dropped,
    });
    expect(out.apiKey).toBe('«redacted»');
  });
});
