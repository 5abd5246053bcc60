/**
 * The `shell` queue: runs a command (without a shell unless `shell: true`), streams its output
 * into the job log and returns the exit code and output tails. A non-zero exit fails the job;
 * a timeout or cancellation kills the command's whole process tree.
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { LineSplitter, TailBuffer } from '../bounded-output';
import { shellJobSchema, type ShellJob } from '../../../../main/shared/job-data-rules';
import { parseJobData } from '../job-data';
import { secretEnv } from '../secret-env';
import { killProcessGroup, trackProcessGroup, untrackProcessGroup } from '../process-tree';
import type { BuiltinProcessor, ProcessorContext } from './context';

export interface ShellResult {
  exitCode: number;
  stdoutTail: string;
  stderrTail: string;
  durationMs: number;
}

/** How long to wait for output pipes to drain after the command exited. */
const DRAIN_MS = 2_000;

export const runShellJob: BuiltinProcessor = async (job, context) => {
  const data = parseJobData(shellJobSchema, job.data);
  return runCommand(data, context);
};

export function runCommand(data: ShellJob, context: ProcessorContext): Promise<ShellResult> {
  if (data.cwd !== undefined && !isFolder(data.cwd)) {
    return Promise.reject(new Error(`cwd ${data.cwd} does not exist or is not a folder`));
  }
  const [file, args] = data.shell
    ? ['/bin/sh', ['-c', data.command.join(' ')]]
    : [data.command[0] ?? '', data.command.slice(1)];
  const started = Date.now();
  const stdoutTail = new TailBuffer();
  const stderrTail = new TailBuffer();
  let lastStderrLine = '';
  const stdoutLines = new LineSplitter((line) => context.logLine(line));
  const stderrLines = new LineSplitter((line) => {
    if (line.trim() !== '') lastStderrLine = line.trim();
    context.logLine(`[stderr] ${line}`);
  });

  return new Promise<ShellResult>((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: data.cwd,
      // The pool's secrets, then the job's own env (a job may set a name a secret has).
      env: { ...process.env, ...secretEnv(), ...data.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    if (pid !== undefined) trackProcessGroup(pid);

    let settled = false;
    let stopReason: string | null = null;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => stop('command was cancelled');

    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      context.signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) {
        // Background processes the command left behind belong to the job: end them with it.
        killProcessGroup(pid);
        untrackProcessGroup(pid);
      }
      stdoutLines.end();
      stderrLines.end();
      outcome();
    };

    /** Kills the process tree; the job then fails with `message`. */
    function stop(message: string): void {
      if (settled || stopReason !== null) return;
      stopReason = message;
      if (pid !== undefined) killProcessGroup(pid);
    }

    if (data.timeoutMs !== undefined) {
      const limit = data.timeoutMs;
      timer = setTimeout(() => stop(`timed out after ${limit} ms`), limit);
    }
    if (context.signal?.aborted) stop('command was cancelled');
    else context.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutTail.write(chunk);
      stdoutLines.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderrTail.write(chunk);
      stderrLines.write(chunk);
    });

    child.on('error', (err: NodeJS.ErrnoException) => {
      finish(() => reject(new Error(describeSpawnError(file, err))));
    });

    child.on('exit', (code, signal) => {
      // Kill leftovers now so pipes held open by background processes close too.
      if (pid !== undefined) killProcessGroup(pid);
      const drained = new Promise<void>((done) => {
        const cap = setTimeout(done, DRAIN_MS);
        child.on('close', () => {
          clearTimeout(cap);
          done();
        });
      });
      void drained.then(() =>
        finish(() => {
          if (stopReason !== null) {
            reject(new Error(stopReason));
            return;
          }
          if (code === 0) {
            resolve({
              exitCode: 0,
              stdoutTail: stdoutTail.text(),
              stderrTail: stderrTail.text(),
              durationMs: Date.now() - started,
            });
            return;
          }
          const notFound = code === SHELL_COMMAND_NOT_FOUND && /not found/i.test(lastStderrLine);
          const detail =
            (lastStderrLine === '' ? '' : `: ${lastStderrLine}`) +
            (notFound ? ` (${MISSING_COMMAND_HINT})` : '');
          const what =
            code !== null ? `command exited with code ${code}` : `command was killed by ${signal}`;
          reject(new Error(`${what}${detail}`));
        }),
      );
    });
  });
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * What to do about a program the worker image lacks: the worker runs on the configured base
 * image, so one that has the program is the way to get it.
 */
export const MISSING_COMMAND_HINT =
  'the worker image does not have it: build a worker base image that does (FROM node:22-bookworm-slim, then install it) and set it in Settings → Images → Worker base image';

/** Exit code of a shell that could not find the command it was asked to run. */
const SHELL_COMMAND_NOT_FOUND = 127;

function describeSpawnError(file: string, err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return `command not found: ${file} (${MISSING_COMMAND_HINT})`;
  if (err.code === 'EACCES') return `permission denied running ${file}`;
  return `could not start ${file}: ${err.message}`;
}
