/**
 * Entry point of the worker program (bundled to resources/worker/dist/worker-program.cjs; each
 * worker container runs it as `node /opt/guildhall/worker.cjs`, see entry.ts).
 *
 *   (no arguments)   run the worker until SIGTERM/SIGINT or a processor file change
 *   --healthcheck    exit 0 iff Redis answers PING with the password within 2 s
 *   --version        print the worker and protocol version
 */
import { WORKER_EXIT_CODES } from '../../../main/shared/worker-contract';
import { ConfigError, loadWorkerConfig, waitForPasswordFile } from './config';
import { runHealthcheck } from './healthcheck';
import { errorMessage, log } from './log';
import { killAllProcessGroups } from './process-tree';
import { runWorker } from './run-worker';
import { isSandboxChild, runSandboxChild } from './sandbox-child';
import { versionLine } from './version';

const USAGE = 'usage: worker.cjs [--healthcheck | --version]';
const EX_USAGE = 64;
const PASSWORD_FILE_WAIT_MS = 30_000;

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (rest.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return EX_USAGE;
  }
  switch (command) {
    case '--version':
      process.stdout.write(`${versionLine()}\n`);
      return WORKER_EXIT_CODES.ok;
    case '--healthcheck':
      return runHealthcheck(process.env);
    case '--help':
      process.stdout.write(`${USAGE}\n`);
      return WORKER_EXIT_CODES.ok;
    case undefined:
      await waitForPasswordFile(process.env, PASSWORD_FILE_WAIT_MS, (path) =>
        log.info(`waiting for the Redis password file ${path}`),
      );
      return runWorker(loadWorkerConfig(process.env));
    default:
      process.stderr.write(`unknown argument ${command}; ${USAGE}\n`);
      return EX_USAGE;
  }
}

function fail(err: unknown, what: string): never {
  killAllProcessGroups();
  if (err instanceof ConfigError) {
    log.error(err.message);
    process.exit(WORKER_EXIT_CODES.badConfig);
  }
  log.error(`${what}: ${err instanceof Error ? (err.stack ?? err.message) : errorMessage(err)}`);
  process.exit(WORKER_EXIT_CODES.crashed);
}

if (isSandboxChild()) {
  void runSandboxChild();
} else {
  process.on('uncaughtException', (err) => fail(err, 'unexpected error'));
  process.on('unhandledRejection', (err) => fail(err, 'unexpected error'));
  process.on('exit', () => killAllProcessGroups());
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => fail(err, 'the worker failed'),
  );
}
