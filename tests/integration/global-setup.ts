/**
 * Integration tests need a real container engine and the offline base images. A missing engine
 * is a failure with instructions, never a skip.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

export const OFFLINE_REDIS_IMAGE = 'guildhall-offline/redis:bookworm';
export const OFFLINE_NODE_IMAGE = 'guildhall-offline/node:bookworm';

export default function setup(): void {
  try {
    execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {
      stdio: 'pipe',
      timeout: 20_000,
    });
  } catch {
    throw new Error(
      'Integration tests need a running Docker engine and none answered. Start one (sudo bash scripts/ensure-docker-engine.sh) and run the tests again.',
    );
  }
  process.env.GUILDHALL_REDIS_IMAGE ??= OFFLINE_REDIS_IMAGE;
  process.env.GUILDHALL_WORKER_BASE_IMAGE ??= OFFLINE_NODE_IMAGE;
  execFileSync('bash', [path.join(root, 'scripts', 'build-offline-images.sh')], {
    stdio: 'inherit',
    env: process.env,
  });
  // `npm test` builds first; a bare `vitest run` builds what is missing.
  const workerDist = path.join(root, 'resources', 'worker', 'dist');
  if (['worker.cjs', 'worker-program.cjs'].some((f) => !fs.existsSync(path.join(workerDist, f)))) {
    execFileSync('node', [path.join(root, 'scripts', 'build-worker.mjs')], { stdio: 'inherit' });
  }
  if (!fs.existsSync(path.join(root, 'out', 'main', 'cli.js'))) {
    // electron-vite empties out/main; the CLI bundle is built into it afterwards.
    execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
    execFileSync('node', [path.join(root, 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
  }
}
