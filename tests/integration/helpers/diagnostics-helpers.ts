/** Helpers for the diagnostics tests: the built doctor CLI, unzip, polling, a real crash. */
import { spawn } from 'node:child_process';
import type Dockerode from 'dockerode';
import yauzl from 'yauzl';
import { WORKER_USER } from '../../../main/shared/worker-contract';
import { cliPath } from './run-cli';
import { workerContextDir } from './test-cluster';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `guildhall doctor …` as users do, in its own process. */
export function doctorCli(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'doctor', ...args], {
      env: { ...env, GUILDHALL_WORKER_CONTEXT: workerContextDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/**
 * Crashes a worker container once, as a real crash does: every process inside is killed (not a
 * `docker stop`), so the engine's restart policy applies. Resolves once the engine restarted it
 * and it runs again (while the engine waits to restart it, State.Running stays true: this waits
 * for the status "running" and a higher restart count).
 */
export async function crashOnce(docker: Dockerode, name: string): Promise<void> {
  const container = docker.getContainer(name);
  const before = (await container.inspect()).RestartCount;
  const exec = await container.exec({
    Cmd: ['sh', '-c', 'kill -9 -1'],
    User: WORKER_USER,
    // Podman needs a stream to attach to.
    AttachStdout: true,
    AttachStderr: true,
  });
  await exec.start({});
  await waitFor(`${name} to be restarted`, async () => {
    const info = await container.inspect();
    return info.RestartCount > before && info.State.Status === 'running';
  });
}

/** Every entry of a zip file, by name. */
export async function unzipAll(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip
        .openReadStreamPromise(entry)
        .then(async (stream) => {
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          out.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        })
        .catch(reject);
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  zip.close();
  return out;
}
