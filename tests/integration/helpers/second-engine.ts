/**
 * A second, private Docker engine for tests that must stop and start "the engine" without
 * touching the machine's own dockerd (other test files use it at the same time): its own socket,
 * data root, exec root (with its own managed containerd), pid file and address pool, its own
 * default bridge and no iptables management. A second dockerd on dockerd 20.10 may still delete
 * the host's docker0 bridge, which the main engine needs for its default network: its address is
 * noted before every start and stop, and the bridge is put back as it was when it went missing. Containers still talk to each other on a user-defined
 * network: the host's FORWARD policy is DROP (the main dockerd sets it) and bridged traffic passes
 * through iptables, so one ACCEPT rule for this engine's own address pool is added while it runs
 * and removed afterwards. Needs root and `dockerd` on PATH.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';

const run = promisify(execFile);

/** Address pool of the second engine's networks; nothing else on the host uses it. */
export const SECOND_ENGINE_POOL = '10.213.0.0/16';
/** The second engine's default bridge, outside its pool. */
const SECOND_ENGINE_BRIDGE_ADDRESS = '10.214.0.1/24';

export interface SecondEngine {
  dir: string;
  socket: string;
  /** unix:///…/docker.sock, for DOCKER_HOST or a pinned endpoint. */
  host: string;
  docker: Dockerode;
  /** Starts dockerd and resolves once it answers (_ping); returns that moment. */
  start(): Promise<number>;
  /** SIGTERM, then waits until the process has exited. */
  stop(): Promise<void>;
  /** Copies images from the main engine (docker save | docker -H … load). */
  loadImages(images: string[]): Promise<void>;
  /** Whether the daemon answers right now. */
  answers(): Promise<boolean>;
  logTail(lines?: number): string;
  /** Stops the daemon if running, removes the firewall rule and deletes every file. */
  destroy(): Promise<void>;
}

export async function createSecondEngine(prefix: string): Promise<SecondEngine> {
  if (process.getuid?.() !== 0) {
    throw new Error('A second Docker engine needs root (dockerd manages mounts and namespaces).');
  }
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  // A private default bridge (interface names are at most 15 characters).
  const bridge = `gh2e${path
    .basename(dir)
    .slice(-6)
    .replace(/[^A-Za-z0-9]/g, 'x')}`;
  const socket = path.join(dir, 'docker.sock');
  const logFile = path.join(dir, 'dockerd.log');
  const comment = `guildhall-test-${path.basename(dir)}`;
  const rule = [
    'FORWARD',
    '-s',
    SECOND_ENGINE_POOL,
    '-d',
    SECOND_ENGINE_POOL,
    '-m',
    'comment',
    '--comment',
    comment,
    '-j',
    'ACCEPT',
  ];
  const args = [
    '--host',
    `unix://${socket}`,
    '--data-root',
    path.join(dir, 'data'),
    '--exec-root',
    path.join(dir, 'exec'),
    '--pidfile',
    path.join(dir, 'docker.pid'),
    `--bridge=${bridge}`,
    '--iptables=false',
    '--ip-masq=false',
    '--default-address-pool',
    `base=${SECOND_ENGINE_POOL},size=24`,
  ];
  const docker = new Dockerode({ socketPath: socket });
  let child: ChildProcess | null = null;
  let ruleAdded = false;
  let hostBridge: string | null = null;

  const answers = async () => {
    try {
      await docker.ping();
      return true;
    } catch {
      return false;
    }
  };

  const engine: SecondEngine = {
    dir,
    socket,
    host: `unix://${socket}`,
    docker,
    answers,
    async start() {
      hostBridge ??= await readHostBridge();
      if (
        !(await run('ip', ['link', 'show', bridge]).then(
          () => true,
          () => false,
        ))
      ) {
        await run('ip', ['link', 'add', bridge, 'type', 'bridge']);
        await run('ip', ['addr', 'add', SECOND_ENGINE_BRIDGE_ADDRESS, 'dev', bridge]);
        await run('ip', ['link', 'set', bridge, 'up']);
      }
      if (!ruleAdded) {
        await run('iptables', ['-I', ...rule.slice(0, 1), '1', ...rule.slice(1)]);
        ruleAdded = true;
      }
      const log = fs.openSync(logFile, 'a');
      child = spawn('dockerd', args, { stdio: ['ignore', log, log] });
      fs.closeSync(log);
      const started = child;
      const deadline = Date.now() + 60_000;
      while (!(await answers())) {
        if (started.exitCode !== null || Date.now() > deadline) {
          throw new Error(`the second dockerd did not start:\n${engine.logTail()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const answeredAt = Date.now();
      await restoreHostBridge(hostBridge);
      return answeredAt;
    },
    async stop() {
      const current = child;
      child = null;
      if (!current || current.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      current.kill('SIGTERM');
      const timer = setTimeout(() => current.kill('SIGKILL'), 60_000);
      await exited;
      clearTimeout(timer);
      await restoreHostBridge(hostBridge);
    },
    async loadImages(images) {
      await run('sh', ['-c', `docker save ${images.join(' ')} | docker -H unix://${socket} load`], {
        maxBuffer: 16 * 1024 * 1024,
      });
    },
    logTail(lines = 30) {
      try {
        return fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    async destroy() {
      await engine.stop();
      if (ruleAdded) {
        await run('iptables', ['-D', ...rule]).catch(() => {});
        ruleAdded = false;
      }
      await run('ip', ['link', 'del', bridge]).catch(() => {});
      // Never delete through a mount that is still there (container roots, network namespaces).
      const mounts = (await fsp.readFile('/proc/mounts', 'utf8'))
        .split('\n')
        .map((line) => line.split(' ')[1] ?? '')
        .filter((point) => point.startsWith(`${dir}/`))
        .sort((a, b) => b.length - a.length);
      for (const point of mounts) await run('umount', ['-l', point]).catch(() => {});
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
  return engine;
}

const HOST_BRIDGE = 'docker0';

/** The host bridge's IPv4 address with prefix (e.g. 172.17.0.1/16), or null when there is none. */
async function readHostBridge(): Promise<string | null> {
  try {
    const { stdout } = await run('ip', ['-o', '-4', 'addr', 'show', 'dev', HOST_BRIDGE]);
    return /inet (\S+)/.exec(stdout)?.[1] ?? null;
  } catch {
    return null;
  }
}

async function restoreHostBridge(address: string | null): Promise<void> {
  if (!address) return;
  if (
    await run('ip', ['link', 'show', HOST_BRIDGE]).then(
      () => true,
      () => false,
    )
  )
    return;
  await run('ip', ['link', 'add', HOST_BRIDGE, 'type', 'bridge']);
  await run('ip', ['addr', 'add', address, 'dev', HOST_BRIDGE]);
  await run('ip', ['link', 'set', HOST_BRIDGE, 'up']);
}
