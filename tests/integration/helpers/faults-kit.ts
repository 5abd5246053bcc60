/**
 * Tools for the fault-injection tests (tests/integration/faults-*.test.ts): killing processes
 * inside containers the way a crash does, the built console server as a child process, /proc
 * readings, and the results file (tests/bench/results/faults.md) each fault test adds its
 * counts to.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createORPCClient } from '@orpc/client';
import { RPCLink as FetchLink } from '@orpc/client/fetch';
import type { ApiClient } from '../../../main/shared/contract';
import { docker, repoRoot } from './test-cluster';

export const faultsResultsFile = path.join(repoRoot, 'tests', 'bench', 'results', 'faults.md');

/** Sections in the order the results file lists them; each test file writes its own. */
const SECTION_ORDER = ['worker-kill', 'redis-kill', 'engine-restart', 'core-kill', 'api-abuse'];

/**
 * Replaces one section of tests/bench/results/faults.md (other files' sections are kept), and
 * prints it, so the counts are in the test output too.
 */
export async function recordFaultResult(section: string, markdown: string): Promise<void> {
  const body = `${markdown.trim()}\n`;
  process.stdout.write(`\n${body}\n`);
  // Ordinary test runs (CI included) only print; the report is refreshed on request, so a test
  // run never rewrites a tracked file.
  if (process.env.GUILDHALL_RECORD_FAULTS !== '1') return;
  await fs.mkdir(path.dirname(faultsResultsFile), { recursive: true });
  let existing = '';
  try {
    existing = await fs.readFile(faultsResultsFile, 'utf8');
  } catch {
    // first section
  }
  const sections = new Map<string, string>();
  for (const match of existing.matchAll(
    /<!-- fault:([\w-]+) -->\n([\s\S]*?)<!-- \/fault:\1 -->/g,
  )) {
    sections.set(match[1]!, match[2]!);
  }
  sections.set(section, body);
  const ordered = [
    ...SECTION_ORDER.filter((name) => sections.has(name)),
    ...[...sections.keys()].filter((name) => !SECTION_ORDER.includes(name)).sort(),
  ];
  const text = [
    `<!-- measured ${today()} -->`,
    '## Fault injection',
    '',
    'Written by `tests/integration/faults-*.test.ts` (each file replaces its own section; the date is when that file last ran).',
    'Rerun: `npm run build && GUILDHALL_RECORD_FAULTS=1 npx vitest run tests/integration/faults-`.',
    '',
    ...ordered.map(
      (name) => `<!-- fault:${name} -->\n${sections.get(name)}<!-- /fault:${name} -->\n`,
    ),
  ].join('\n');
  await fs.writeFile(faultsResultsFile, text);
}

export const today = (): string => new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

/** Host pids of a process's direct children (from /proc). */
export async function childPids(pid: number): Promise<number[]> {
  try {
    const text = await fs.readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text.trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * SIGKILLs the main program of a running container (the child of its docker-init, e.g. the
 * worker's node or redis-server), from the host: a crash, not a stop through the engine, so the
 * restart policy acts. Returns the moment of the kill (Date.now()).
 */
export async function killMainProcess(container: string): Promise<{ at: number; pid: number }> {
  const info = await docker.getContainer(container).inspect();
  if (!info.State.Running) throw new Error(`${container} is not running`);
  const initPid = info.State.Pid;
  const [main] = await childPids(initPid);
  const pid = main ?? initPid;
  const at = Date.now();
  process.kill(pid, 'SIGKILL');
  return { at, pid };
}

/** Resident set size and its peak (kB) of a process, from /proc/<pid>/status. */
export async function memoryOf(pid: number): Promise<{ rssKb: number; hwmKb: number }> {
  const text = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1]);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

export interface ConsoleChild {
  child: ChildProcessWithoutNullStreams;
  origin: string;
  token: string;
  /** Everything the process printed so far. */
  output(): string;
  http: ApiClient;
  /** Ctrl+C, then the exit code (SIGKILL after 15 s). */
  stop(): Promise<number | null>;
}

/** Starts `guildhall console --port 0` from the build, as a user would, and waits for its URL. */
export async function startConsoleChild(env: NodeJS.ProcessEnv): Promise<ConsoleChild> {
  const cli = path.join(repoRoot, 'out', 'main', 'cli.js');
  const child = spawn(process.execPath, [cli, 'console', '--port', '0'], { env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  let match: RegExpExecArray | null;
  while (!(match = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)/.exec(output))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the console server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const origin = match[1]!;
  const token = match[2]!;
  return {
    child,
    origin,
    token,
    output: () => output,
    http: createORPCClient(
      new FetchLink({ url: `${origin}/api`, headers: { authorization: `Bearer ${token}` } }),
    ),
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)]! + sorted[Math.ceil(mid)]!) / 2;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
