/**
 * `guildhall export compose` on the real engine: the file runs with `docker-compose up -d`
 * (Debian's docker-compose, scripts/setup-test-host.sh), its Redis takes a BullMQ job from the
 * test, a worker of the exported pool completes it with the pool's secret, the custom pool reads
 * the Redis URL from its secret file; secrets are in 0600 files, never in the YAML.
 */
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SECRET_NAME,
  eventually,
  exportedCluster,
  run,
  runExportedJob,
  type ExportFixture,
} from './helpers/export-kit';

let fx: ExportFixture;

/** Redis's answer to a PING without a password, read off a plain socket. */
function anonymousPing(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      resolve(data.toString('utf8'));
      socket.destroy();
    });
    socket.once('error', reject);
  });
}
let upDone = false;

const compose = (...args: string[]) =>
  run('docker-compose', ['-p', fx.project, '-f', fx.composeFile, ...args], {
    cwd: fx.dir,
    timeout: 180_000,
  });

beforeAll(async () => {
  fx = await exportedCluster();
}, 400_000);

afterAll(async () => {
  if (fx && upDone) await compose('down', '--volumes', '--timeout', '5').catch(() => {});
  await fx?.tc.cleanup();
}, 120_000);

describe('export compose', () => {
  it('keeps every secret out of the compose file, in 0600 files beside it', async () => {
    const text = await fs.readFile(fx.composeFile, 'utf8');
    expect(text).not.toContain(fx.password);
    expect(text).not.toContain(fx.secretValue);
    expect(text).toContain('127.0.0.1:');
    const names = await fs.readdir(path.join(fx.dir, 'secrets'));
    // The custom pool (root in its image) gets its own copy of the URL: uid 0's.
    expect(names.sort()).toEqual(['redis-password', 'redis-url-uid-0', SECRET_NAME].sort());
    for (const name of names) {
      const file = path.join(fx.dir, 'secrets', name);
      expect(((await fs.stat(file)).mode & 0o777).toString(8), name).toBe('600');
    }
    expect(await fs.readFile(path.join(fx.dir, 'secrets', SECRET_NAME), 'utf8')).toBe(
      fx.secretValue,
    );
  });

  it('runs with docker-compose up: a job sent through its Redis completes in its workers', async () => {
    upDone = true;
    await compose('up', '-d');
    const { stdout } = await compose('ps', '-q', 'worker');
    expect(stdout.trim().split('\n')).toHaveLength(2);
    const result = await eventually(() =>
      runExportedJob(fx, ['cat', `/run/secrets/${SECRET_NAME}`], 20_000),
    );
    expect(result).toMatchObject({ exitCode: 0, stdoutTail: fx.secretValue });
    // The custom pool reached Redis with the URL from its secret file; `$` survived compose.
    const redis = new Redis({ host: '127.0.0.1', port: fx.tc.port, password: fx.password });
    try {
      expect(
        await eventually(async () => {
          const value = await redis.get('export-probe');
          if (value === null) throw new Error('probe has not written yet');
          return value;
        }),
      ).toBe('from-redis');
      // AOF on, and the password is required.
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    } finally {
      redis.disconnect();
    }
    expect(await anonymousPing(fx.tc.port)).toMatch(/^-NOAUTH/);
  }, 300_000);
});
