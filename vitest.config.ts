import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** main/shared: what the core and the renderer both import (see tsconfig.base.json's paths). */
const alias = { '@shared': fileURLToPath(new URL('./main/shared', import.meta.url)) };

/** Podman's API socket for the integration-podman project (scripts/ensure-podman.sh). */
const PODMAN_SOCKET = process.env.GUILDHALL_PODMAN_SOCKET ?? '/run/guildhall-podman/podman.sock';
/**
 * The integration tests that run on Podman too: the cluster's life, the jobs, the checks, and
 * the worker image as the engine builds and runs it; the internal network of a pool.
 */
const PODMAN_TEST_FILES = [
  'tests/integration/cluster-lifecycle.test.ts',
  'tests/integration/worker-builtins.test.ts',
  'tests/integration/diagnostics.test.ts',
  'tests/integration/worker-image-engine.test.ts',
  'tests/integration/internal-network.test.ts',
];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // Svelte components in jsdom: the browser build of Svelte, DOM cleaned after each test.
        plugins: [svelte(), svelteTesting()],
        resolve: { alias, conditions: ['browser'] },
        test: {
          name: 'component',
          include: ['tests/component/**/*.test.ts'],
          environment: 'jsdom',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          // One real engine on a small machine: run integration files one at a time.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 240_000,
          globalSetup: ['tests/integration/global-setup.ts'],
        },
      },
      {
        resolve: { alias },
        // The same engine-facing tests again on Podman's Docker-compatible API service (a second
        // engine; see tests/integration/helpers/test-engine.ts and scripts/ensure-podman.sh).
        test: {
          name: 'integration-podman',
          include: PODMAN_TEST_FILES,
          environment: 'node',
          // Like the Docker integration and e2e files, one file at a time, never beside another
          // cluster: vitest runs every file of such projects in one sequential group.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 240_000,
          globalSetup: ['tests/integration/global-setup.ts', 'tests/integration/podman-setup.ts'],
          env: { GUILDHALL_TEST_ENGINE: 'podman', DOCKER_HOST: `unix://${PODMAN_SOCKET}` },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 240_000,
          globalSetup: ['tests/integration/global-setup.ts'],
        },
      },
    ],
  },
});
