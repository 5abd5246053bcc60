import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleHarness } from './helpers/console';

let harness: ConsoleHarness;

beforeAll(async () => {
  harness = await startConsole({ workers: 2 });
});
afterAll(async () => {
  await harness?.close();
});

describe('browser console', () => {
  it('loads over the token URL and shows the real cluster', async () => {
    const { page, context } = await harness.open();
    await expect
      .poll(() => page.textContent('body'), { timeout: 20_000 })
      .toContain(harness.cluster.name);
    await harness.screenshot(page, 'smoke-light');
    await context.close();
  });
});
