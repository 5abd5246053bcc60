/**
 * Settings → Pools in the real browser console, against a real cluster and engine: a pool added
 * there is checked as it is typed (a reserved name, a package name with shell characters, each
 * shown at its field, Create off meanwhile), saved into the settings, and shown on the Workers
 * page; a custom pool built from a folder builds its image at once with progress, and a build
 * that fails shows the end of its log; the default pool's autoscale is edited with the same
 * checks; a pool's env and mounts are edited as rows (a reserved name refused as typed, a host
 * folder the core refuses shown at its row after Save) and `guildhall spec` carries them.
 * Screenshots in English and Japanese.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../integration/helpers/run-cli';
import { startConsole, type ConsoleHarness } from './helpers/console';

const suffix = randomBytes(3).toString('hex');
const BUILT = `app-${suffix}`;
const BROKEN = `broken-${suffix}`;
let harness: ConsoleHarness;
let folder: string;

function poolsCard(page: Page): Locator {
  return page.locator('section.card', {
    has: page.getByRole('heading', { name: 'Pools', exact: true }),
  });
}

function buildFolder(name: string, dockerfile: string): string {
  const dir = path.join(folder, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

async function settingsPools() {
  return (await harness.cluster.core.settings.load()).settings.cluster;
}

beforeAll(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'guildhall-pools-ui-'));
  harness = await startConsole({ workers: 1 });
});
afterAll(async () => {
  await harness?.close();
  fs.rmSync(folder, { recursive: true, force: true });
  // The images this test built (tagged by pool name, which is this run's own).
  for (const pool of [BUILT, BROKEN]) {
    const refs = execFileSync('docker', ['images', '-q', `guildhall/pool-${pool}`]).toString();
    for (const id of new Set(refs.split('\n').filter(Boolean)))
      execFileSync('docker', ['rmi', '-f', id], { stdio: 'ignore' });
  }
});

describe('Settings → Pools', () => {
  it('adds a pool checked as typed, saves it, and the Workers page shows it', async () => {
    const { page, context } = await harness.open({ path: '#/settings' });
    try {
      const card = poolsCard(page);
      await card.waitFor();
      expect(await card.locator('[data-pool-row="worker"]').textContent()).toContain(
        'Default pool',
      );
      await card.getByRole('button', { name: 'Add pool' }).click();
      const editor = card.getByRole('form', { name: 'Pool editor' });
      const create = editor.getByRole('button', { name: 'Create pool' });

      await editor.getByLabel('Name', { exact: true }).fill('redis');
      await expect
        .poll(() => editor.locator('#pool-new-name-error').textContent())
        .toContain('taken by Guildhall');
      expect(await create.isDisabled()).toBe(true);
      await editor.getByLabel('Name', { exact: true }).fill('tools');

      await editor.getByRole('textbox', { name: 'Debian packages' }).fill('git;id');
      const packagesError = editor.locator('#pool-new-packages-error');
      await expect.poll(() => packagesError.textContent()).toContain('"git;id" is not a Debian');
      expect(
        await editor.getByRole('textbox', { name: 'Debian packages' }).getAttribute('aria-invalid'),
      ).toBe('true');
      expect(await create.isDisabled()).toBe(true);
      await harness.screenshot(page, 'settings-pools-invalid');

      await editor.getByRole('textbox', { name: 'Debian packages' }).fill('');
      await editor.getByRole('textbox', { name: 'Queues' }).fill('tools:shell');
      await expect.poll(() => packagesError.count()).toBe(0);
      // Shell jobs are opt-in: the queue is refused until the pool runs them.
      const queuesError = editor.locator('#pool-new-queues-error');
      await expect.poll(() => queuesError.textContent()).toContain('runs shell jobs');
      expect(await create.isDisabled()).toBe(true);
      await editor.getByRole('checkbox', { name: 'Runs shell jobs' }).check();
      await expect.poll(() => queuesError.count()).toBe(0);
      await create.click();
      await expect.poll(async () => Object.keys((await settingsPools()).pools)).toEqual(['tools']);
      const saved = (await settingsPools()).pools.tools!;
      expect(saved).toMatchObject({
        replicas: 1,
        packages: [],
        shell: true,
        queues: [{ name: 'tools', processor: 'shell' }],
        image: null,
      });
      await card.locator('[data-pool-row="tools"]').waitFor();
      // Saved pools take effect with the next start: the page offers it.
      await page.getByRole('button', { name: 'Apply now' }).waitFor();

      await page.goto(`${harness.url}#/workers`);
      const tools = page.getByRole('region', { name: 'tools', exact: true });
      await tools.waitFor({ timeout: 30_000 });
      expect(await tools.locator('header').textContent()).toContain('Built-in');
    } finally {
      await context.close();
    }
  });

  it("edits a pool's env and mounts; the core's refusal shows at the row; guildhall spec carries them", async () => {
    const shared = fs.mkdtempSync(path.join(folder, 'shared-'));
    const { page, context } = await harness.open({ path: '#/settings' });
    try {
      const card = poolsCard(page);
      await card.getByRole('button', { name: 'Edit pool tools' }).click();
      const editor = card.getByRole('form', { name: 'Pool editor' });
      const save = editor.getByRole('button', { name: 'Save' });

      await editor.getByRole('button', { name: 'Add variable' }).click();
      await editor.getByLabel('Name of variable 1').fill('LD_PRELOAD');
      await expect
        .poll(() => editor.locator('#pool-tools-env-0-error').textContent())
        .toContain('LD_PRELOAD is reserved: it changes how the worker program itself runs');
      expect(await save.isDisabled()).toBe(true);
      await editor.getByLabel('Name of variable 1').fill('API_URL');
      await editor.getByLabel('Value of variable 1').fill('https://api.example');

      // The root passes the browser's check (a full path); the core refuses it, at its row.
      await editor.getByRole('button', { name: 'Add folder' }).click();
      expect(await editor.getByLabel('Mount 1 read-only').isChecked()).toBe(true);
      await editor.getByLabel('Folder of mount 1').fill('/');
      await editor.getByLabel('Container path of mount 1').fill('/workspace');
      await editor.getByLabel('Stop timeout').fill('45');
      await save.click();
      await expect
        .poll(() => editor.locator('#pool-tools-mount-0-error').textContent())
        .toContain('is the root of the file system');
      expect(await editor.getByLabel('Folder of mount 1').getAttribute('aria-invalid')).toBe(
        'true',
      );
      expect((await settingsPools()).pools.tools!.mounts).toEqual([]);
      await harness.screenshot(page, 'settings-pools-mount-refused');

      await editor.getByLabel('Folder of mount 1').fill(shared);
      await save.click();
      await expect
        .poll(async () => (await settingsPools()).pools.tools!.env)
        .toEqual({ API_URL: 'https://api.example' });
      const saved = (await settingsPools()).pools.tools!;
      expect(saved.mounts).toEqual([{ source: shared, target: '/workspace', readOnly: true }]);
      expect(saved.stopTimeoutSeconds).toBe(45);

      const spec = await runCli(['spec', '--json'], harness.cluster.env);
      expect(spec.code).toBe(0);
      const file = JSON.parse(spec.stdout) as {
        pools: Record<string, { env?: unknown; mounts?: unknown; stopTimeoutSeconds?: unknown }>;
      };
      expect(file.pools.tools).toMatchObject({
        env: { API_URL: 'https://api.example' },
        mounts: [{ source: shared, target: '/workspace', readOnly: true }],
        stopTimeoutSeconds: 45,
      });

      await card.getByRole('button', { name: 'Edit pool tools' }).click();
      const again = card.getByRole('form', { name: 'Pool editor' });
      expect(await again.getByLabel('Value of variable 1').inputValue()).toBe(
        'https://api.example',
      );
      await harness.screenshot(page, 'settings-pools-env-mounts');
    } finally {
      await context.close();
    }
  });

  it('builds a pool image from a folder with progress; a failed build shows its log tail', async () => {
    const ok = buildFolder(
      'ok',
      'FROM guildhall-offline/node:bookworm\nCMD ["sleep", "infinity"]\n',
    );
    const bad = buildFolder(
      'bad',
      'FROM guildhall-offline/node:bookworm\nRUN echo "no such tool here" && exit 3\n',
    );
    const { page, context } = await harness.open({ path: '#/settings' });
    try {
      const card = poolsCard(page);
      for (const [name, dir] of [
        [BUILT, ok],
        [BROKEN, bad],
      ] as const) {
        await card.getByRole('button', { name: 'Add pool' }).click();
        const editor = card.getByRole('form', { name: 'Pool editor' });
        await editor.getByLabel('Name', { exact: true }).fill(name);
        await editor.getByText('Custom image', { exact: true }).click();
        await editor.getByText('Build from a folder', { exact: true }).click();
        await editor.getByLabel('Build folder').fill(dir);
        await editor.getByLabel('Workers', { exact: true }).fill('0');
        await editor.getByRole('button', { name: 'Create pool' }).click();
        await card.locator(`[data-pool-row="${name}"]`).waitFor();
      }
      const done = card.locator(`[data-pool-row="${BUILT}"] [data-build-state="done"]`);
      await done.waitFor({ timeout: 180_000 });
      expect(await done.textContent()).toContain(`The image of pool ${BUILT} is ready.`);
      const failed = card.locator(`[data-pool-row="${BROKEN}"] [data-build-state="failed"]`);
      await failed.waitFor({ timeout: 180_000 });
      expect(await failed.textContent()).toContain('no such tool here');
      await harness.screenshot(page, 'settings-pools-builds');
      const images = execFileSync('docker', ['images', '-q', `guildhall/pool-${BUILT}`]);
      expect(images.toString().trim()).not.toBe('');
    } finally {
      await context.close();
    }
  });

  it("edits the default pool's autoscale with the core's checks", async () => {
    const { page, context } = await harness.open({ path: '#/settings' });
    try {
      const card = poolsCard(page);
      await card.getByRole('button', { name: 'Edit pool worker' }).click();
      const editor = card.getByRole('form', { name: 'Autoscale of the default pool' });
      await editor.getByLabel('Scale this pool with its backlog').check();
      await editor.getByLabel('Fewest workers').fill('3');
      await editor.getByLabel('Most workers').fill('2');
      await expect
        .poll(() => editor.locator('#pool-worker-as-min-error').textContent())
        .toContain('Must not be more than the most workers');
      await editor.getByLabel('Most workers').fill('6');
      await editor.getByRole('button', { name: 'Save' }).click();
      await expect
        .poll(async () => (await settingsPools()).workers.autoscale)
        .toEqual({ min: 3, max: 6, backlogPerWorker: 100, cooldownSeconds: 60 });
      await expect
        .poll(() => card.locator('[data-pool-row="worker"]').textContent())
        .toContain('autoscale 3–6');
      await harness.screenshot(page, 'settings-pools');
    } finally {
      await context.close();
    }
  });

  it('speaks Japanese', async () => {
    const { page, context } = await harness.open({ locale: 'ja-JP', path: '#/settings' });
    try {
      await page.getByRole('heading', { name: 'プール', exact: true }).waitFor();
      const card = page.locator('section.card', {
        has: page.getByRole('heading', { name: 'プール', exact: true }),
      });
      await card.getByRole('button', { name: 'プールを追加' }).click();
      await card.getByLabel('名前', { exact: true }).fill('Bad Name');
      await expect
        .poll(() => card.locator('#pool-new-name-error').textContent())
        .toContain('小文字の英字');
      await harness.screenshot(page, 'settings-pools-ja');
      const editor = card.getByRole('form', { name: 'プールの編集' });
      await editor.getByLabel('名前', { exact: true }).fill('app');
      await editor.getByText('カスタムイメージ', { exact: true }).click();
      await editor.getByRole('button', { name: '変数を追加' }).click();
      await editor.getByLabel('変数 1 の名前').fill('GUILDHALL_REDIS_X');
      await editor.getByRole('button', { name: 'フォルダーを追加' }).click();
      await editor.getByLabel('マウント 1 のコンテナー内パス').fill('workspace');
      await expect
        .poll(() => editor.locator('#pool-new-env-0-error').textContent())
        .toContain('GUILDHALL_REDIS_* は Redis の場所を伝えるため Guildhall 自身が設定します');
      await harness.screenshot(page, 'settings-pools-env-mounts-ja');
    } finally {
      await context.close();
    }
  });
});
