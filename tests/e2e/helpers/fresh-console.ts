/**
 * A console on a fresh GUILDHALL_HOME for the setup-wizard tests: a test cluster's folder with
 * its settings.json deleted (a true first launch; the test types the unique cluster name and
 * port into the wizard), optionally extra environment (DOCKER_HOST pointing nowhere). Chromium
 * and the console server as in ./console.ts.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestCluster, type TestCluster } from '../../integration/helpers/test-cluster';
import { CHROMIUM, screenshotDir, startConsoleServer } from './console';

export interface FreshConsole {
  cluster: TestCluster;
  url: string;
  browser: Browser;
  server: ChildProcess;
  open(options?: {
    theme?: 'light' | 'dark';
    locale?: string;
    hash?: string;
  }): Promise<{ page: Page; context: BrowserContext }>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startFreshConsole(
  options: { env?: NodeJS.ProcessEnv; workers?: number } = {},
): Promise<FreshConsole> {
  const cluster = await createTestCluster({ workers: options.workers ?? 1 });
  fs.rmSync(cluster.core.settings.paths.settings, { force: true });
  const { server, url } = await startConsoleServer({ ...cluster.env, ...options.env });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  fs.mkdirSync(screenshotDir, { recursive: true });
  return {
    cluster,
    url,
    browser,
    server,
    async open({ theme = 'light', locale = 'en-US', hash = '' } = {}) {
      const context = await browser.newContext({
        colorScheme: theme,
        locale,
        viewport: { width: 1360, height: 860 },
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      const page = await context.newPage();
      await page.goto(`${url}${hash}`);
      return { page, context };
    },
    async screenshot(page, name) {
      const file = path.join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await browser.close().catch(() => {});
      server.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 300));
      if (server.exitCode === null) server.kill('SIGKILL');
      // Whatever the wizard saved (or not), clean up this test's cluster — never a default one.
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
