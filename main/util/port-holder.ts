/**
 * Which program holds a TCP port on this machine, when the OS tells: so "port in use" can say
 * "by redis-server (pid 4242)" instead of "by another program". Linux: the kernel's socket table
 * (/proc/net/tcp, tcp6) and the open files of each process (/proc/<pid>/fd), then `ss -ltnp`;
 * macOS and others: `lsof`; Windows: `netstat -ano` and `tasklist`. Processes of other users are
 * often hidden without privileges: then the answer is null, never an error.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';

export interface PortHolder {
  pid: number | null;
  /** The program's name, e.g. "redis-server", "docker-proxy", "node". */
  name: string;
}

const COMMAND_TIMEOUT_MS = 2_000;
const LISTEN = '0A';

function run(command: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: COMMAND_TIMEOUT_MS, windowsHide: true }, (err, stdout) =>
      resolve(err && !stdout ? null : String(stdout)),
    );
  });
}

/** Socket inodes listening on `port`, from a /proc/net/tcp-style table. */
export function listeningInodes(table: string, port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (!local || fields[3] !== LISTEN || !local.endsWith(`:${hexPort}`)) continue;
    if (fields[9] && fields[9] !== '0') inodes.push(fields[9]);
  }
  return inodes;
}

async function fromProc(port: number): Promise<PortHolder | null> {
  const tables = await Promise.all(
    ['/proc/net/tcp', '/proc/net/tcp6'].map((f) => fs.readFile(f, 'utf8').catch(() => '')),
  );
  const wanted = new Set(tables.flatMap((table) => listeningInodes(table, port)));
  if (wanted.size === 0) return null;
  const pids = (await fs.readdir('/proc').catch(() => [])).filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    const fds = await fs.readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode && wanted.has(inode)) {
        const name = (await fs.readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
        return { pid: Number(pid), name: name || 'unknown' };
      }
    }
  }
  return null;
}

/** `ss -ltnp` output: users:(("redis-server",pid=4242,fd=6)) on the line of the port. */
export function holderFromSs(output: string, port: number): PortHolder | null {
  for (const line of output.split('\n')) {
    const local = line.trim().split(/\s+/)[3];
    if (!local?.endsWith(`:${port}`)) continue;
    const match = /\(\("([^"]+)",pid=(\d+)/.exec(line);
    if (match) return { name: match[1]!, pid: Number(match[2]) };
  }
  return null;
}

/** `lsof -Fpc` output: p<pid> and c<command> lines. */
export function holderFromLsof(output: string): PortHolder | null {
  const pid = /^p(\d+)$/m.exec(output)?.[1];
  const name = /^c(.+)$/m.exec(output)?.[1];
  return pid && name ? { pid: Number(pid), name } : null;
}

/** `netstat -ano -p tcp` output: the pid of the LISTENING line of the port. */
export function pidFromNetstat(output: string, port: number): number | null {
  for (const line of output.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] !== 'TCP' || !fields[1]?.endsWith(`:${port}`)) continue;
    if (fields[3] === 'LISTENING' && /^\d+$/.test(fields[4] ?? '')) return Number(fields[4]);
  }
  return null;
}

async function onWindows(port: number): Promise<PortHolder | null> {
  const netstat = await run('netstat', ['-ano', '-p', 'tcp']);
  const pid = netstat ? pidFromNetstat(netstat, port) : null;
  if (pid === null) return null;
  const list = await run('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH']);
  const name = list ? /^"([^"]+)"/.exec(list.trim())?.[1] : undefined;
  return { pid, name: name ?? 'unknown' };
}

/** The program listening on `port`, or null when the OS does not say. Never throws. */
export async function findPortHolder(
  port: number,
  platform: NodeJS.Platform = process.platform,
): Promise<PortHolder | null> {
  try {
    if (platform === 'win32') return await onWindows(port);
    if (platform === 'linux') {
      const found = await fromProc(port);
      if (found) return found;
      const ss = await run('ss', ['-ltnpH', `sport = :${port}`]);
      return ss ? holderFromSs(ss, port) : null;
    }
    const lsof = await run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc']);
    return lsof ? holderFromLsof(lsof) : null;
  } catch {
    return null;
  }
}

/** "redis-server (pid 4242)", or null. */
export function describePortHolder(holder: PortHolder | null): string | null {
  if (!holder) return null;
  return holder.pid === null ? holder.name : `${holder.name} (pid ${holder.pid})`;
}
