import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import pkg from './package.json' with { type: 'json' };

const define = { __GUILDHALL_VERSION__: JSON.stringify(pkg.version) };
/** main/shared: what the core and the renderer both import (browser-safe). */
const alias = { '@shared': resolve('main/shared') };

export default defineConfig({
  main: {
    define,
    resolve: { alias },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // The CLI (out/main/cli.js) is bundled separately by scripts/build-cli.mjs.
        input: { index: resolve('main/electron/index.ts') },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('preload/index.ts') },
        // Sandboxed preload scripts must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    resolve: { alias },
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
    plugins: [svelte()],
  },
});
