/**
 * End-to-end harness: a real cluster, the real `guildhall console` server (built CLI), and Debian's
 * Chromium driven by playwright-core. Screenshots go to tests/artifacts/screenshots.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { cliPath } from '../../integration/helpers/run-cli';
import {
  createTestCluster,
  repoRoot,
  type TestCluster,
} from '../../integration/helpers/test-cluster';

export const screenshotDir = path.join(repoRoot, 'tests', 'artifacts', 'screenshots');
export const CHROMIUM = process.env.GUILDHALL_CHROMIUM ?? '/usr/bin/chromium';

export interface ConsoleHarness {
  cluster: TestCluster;
  url: string;
  browser: Browser;
  server: ChildProcess;
  /** A fresh page (own context) in the given theme and language. */
  open(options?: {
    theme?: 'light' | 'dark';
    locale?: string;
    path?: string;
  }): Promise<{ page: Page; context: BrowserContext }>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startConsoleServer(
  env: NodeJS.ProcessEnv,
): Promise<{ server: ChildProcess; url: string }> {
  const server = spawn(process.execPath, [cliPath, 'console', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`console server printed no URL in 30 s:\n${output}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\S*token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.on('exit', (code) => reject(new Error(`console server exited (${code}):\n${output}`)));
  });
  return { server, url };
}

export interface ConsoleOptions {
  workers?: number;
  /** Bring the cluster up before the console starts (default true). */
  up?: boolean;
  /** A true first launch: the test cluster's settings.json is deleted (the wizard shows). */
  firstLaunch?: boolean;
  /** Extra environment for the console server, e.g. DOCKER_HOST pointing nowhere. */
  env?: NodeJS.ProcessEnv;
}

export async function startConsole(options: ConsoleOptions = {}): Promise<ConsoleHarness> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}; run scripts/setup-test-host.sh`);
  const cluster = await createTestCluster({ workers: options.workers ?? 2 });
  let server: ChildProcess | undefined;
  let url: string;
  let browser: Browser;
  try {
    if (options.firstLaunch) fs.rmSync(cluster.core.settings.paths.settings, { force: true });
    else if (options.up !== false) await cluster.core.cluster.up();
    ({ server, url } = await startConsoleServer({ ...cluster.env, ...options.env }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  } catch (err) {
    // A harness that never starts is never closed: its cluster must not outlive the test run.
    server?.kill('SIGKILL');
    await cluster.cleanup();
    throw err;
  }
  const consoleServer = server;
  fs.mkdirSync(screenshotDir, { recursive: true });
  return {
    cluster,
    url,
    browser,
    server: consoleServer,
    async open({ theme = 'light', locale = 'en-US', path: route = '' } = {}) {
      const context = await browser.newContext({
        colorScheme: theme,
        locale,
        viewport: { width: 1360, height: 860 },
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      const page = await context.newPage();
      await page.goto(`${url}${route}`);
      return { page, context };
    },
    async screenshot(page, name) {
      const file = path.join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await browser.close().catch(() => {});
      consoleServer.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (consoleServer.exitCode === null) consoleServer.kill('SIGKILL');
      // Whatever the page saved (a wizard run may rename or re-pin), clean up this test's
      // cluster — never a default one.
      const { settings } = await cluster.core.settings.load();
      await cluster.core.settings.save({
        ...settings,
        engine: { pinned: null },
        cluster: {
          ...settings.cluster,
          name: cluster.name,
          redis: { ...settings.cluster.redis, port: cluster.port },
        },
      });
      await cluster.cleanup();
    },
  };
}
