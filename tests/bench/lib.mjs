// Shared helpers for the benchmarks: timing, statistics, readiness polling, report writing.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

export const run = promisify(execFile);
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cli = path.join(root, 'out', 'main', 'cli.js');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1) + 0.5))];
  return {
    n: sorted.length,
    median: q(0.5),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    p99: q(0.99),
  };
}

export function spawnCli(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`guildhall ${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
}

export async function machine() {
  const { stdout: dockerVersion } = await run('docker', [
    'version',
    '--format',
    '{{.Server.Version}}',
  ]);
  return {
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    docker: dockerVersion.trim(),
    date: new Date().toISOString().slice(0, 10),
  };
}

/** Polls until Redis in `container` is healthy. */
export async function waitHealthy(container, timeoutMs = 60_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const { stdout } = await run('docker', [
      'inspect',
      '-f',
      '{{if .State.Health}}{{.State.Health.Status}}{{end}}',
      container,
    ]).catch(() => ({ stdout: '' }));
    if (stdout.trim() === 'healthy') return;
    await sleep(50);
  }
  throw new Error(`${container} not healthy in ${timeoutMs} ms`);
}

/** Polls Redis until every worker's heartbeat key exists. */
export async function waitHeartbeats(redis, cluster, names, timeoutMs = 60_000) {
  const started = Date.now();
  const keys = names.map((n) => `guildhall:${cluster}:heartbeat:${n}`);
  while (Date.now() - started < timeoutMs) {
    try {
      const values = await redis.mget(...keys);
      if (values.every(Boolean)) return;
    } catch {}
    await sleep(50);
  }
  throw new Error(`workers not registered in ${timeoutMs} ms`);
}

/** The first line of every result file: when it was measured (a clone's file times are not). */
export const measuredLine = (date = new Date()) =>
  `<!-- measured ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC -->`;

export async function writeReportSection(name, markdown) {
  const dir = path.join(root, 'tests', 'bench', 'results');
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, `${name}.md`), `${measuredLine()}\n${markdown}`);
}

export const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
