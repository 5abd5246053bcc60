import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'release/',
      'resources/worker/dist/',
      'tests/artifacts/',
      'test-results/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  ...layerRules(),
);

/**
 * The core's layers (main/README.md): a folder may import its own layer and the ones below,
 * never one above. util/ and shared/ sit at the bottom; shared/ is browser-safe and imports
 * nothing but its own files, zod and @orpc/contract. The renderer imports main/ only through
 * the @shared alias. A wrong import fails `npm run lint` (tests/unit/layers-lint.test.ts).
 */
function layerRules() {
  const ranks = {
    engine: 1,
    settings: 2,
    images: 2,
    cluster: 3,
    core: 4, // main/core.ts: one core put together for a face
    queues: 5,
    monitor: 5,
    audit: 5,
    metrics: 6,
    diagnostics: 6,
    history: 6,
    setup: 7,
    support: 7,
    alerts: 7,
    supervisor: 7,
    export: 7,
    api: 8,
    electron: 9,
    web: 9,
    cli: 9,
    version: 9,
  };
  const noElectron = {
    name: 'electron',
    message: 'The core must not import Electron; put Electron wiring in main/electron/.',
  };
  /** An import of main/<folder>: relative from a folder below main/, or ./ from main/ itself. */
  const importOf = (folders, fromRoot = false) =>
    fromRoot ? `^\\./(${folders.join('|')})(/|$)` : `^(\\.\\./)+(${folders.join('|')})(/|$|\\.ts$)`;
  const above = (rank) => Object.keys(ranks).filter((folder) => ranks[folder] > rank);
  const folderRule = (folder, rank, atRoot = folder === 'core' || folder === 'version') => ({
    files: atRoot ? [`main/${folder}.ts`] : [`main/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: folder === 'electron' ? [] : [noElectron],
          patterns: above(rank).length
            ? [
                {
                  regex: importOf(above(rank), atRoot),
                  message: `main/${folder} is below ${above(rank).join(', ')}: a lower layer never imports a higher one (main/README.md). Move the shared piece down, or pass it in.`,
                },
              ]
            : [],
        },
      ],
    },
  });
  return [
    ...Object.entries(ranks).map(([folder, rank]) => folderRule(folder, rank)),
    {
      files: ['main/util/**/*.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: [noElectron],
            patterns: [
              {
                regex: importOf([...Object.keys(ranks), 'shared']),
                message: 'main/util is the bottom layer: it imports nothing else from main/.',
              },
            ],
          },
        ],
      },
    },
    {
      files: ['main/shared/**/*.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: [noElectron],
            patterns: [
              {
                regex: '^(\\.\\./|node:|@shared/)|^(dockerode|ioredis|bullmq|systeminformation)$',
                message:
                  'main/shared is browser-safe: it imports only its own files (./…), zod and @orpc/contract.',
              },
            ],
          },
        ],
      },
    },
    {
      // The console imports main/ only through @shared; everything else goes through its API client.
      files: ['renderer/src/**/*.ts', 'renderer/src/**/*.svelte'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                regex: '(^|/)main/|^(dockerode|ioredis|bullmq|systeminformation|electron)$|^node:',
                message:
                  'The renderer imports main/ only as @shared/…; reach the core through its API client (renderer/src/lib/api).',
              },
            ],
          },
        ],
      },
    },
  ];
}
