/**
 * The layer rules in eslint.config.js: a file importing from a higher layer fails `npm run lint`.
 * Each case lints a small source text as if it lived at the given path (nothing is written).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: root });

async function importProblems(file: string, from: string): Promise<string[]> {
  const code = `import { thing } from '${from}';\nexport const used = thing;\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('layers', () => {
  it.each([
    ['main/settings/probe.ts', '../cluster/status'],
    ['main/cluster/probe.ts', '../monitor/monitor'],
    ['main/cluster/probe.ts', '../api/context'],
    ['main/engine/probe.ts', '../settings/settings-store'],
    ['main/diagnostics/checks/probe.ts', '../../setup/port-check'],
    ['main/queues/probe.ts', '../diagnostics/diagnostics'],
    ['main/api/procedures/probe.ts', '../../cli/index'],
    ['main/core.ts', './api/context'],
    ['main/util/probe.ts', '../cluster/naming'],
  ])('%s may not import %s', async (file, from) => {
    const problems = await importProblems(file, from);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/lower layer never imports a higher one|bottom layer/);
  });

  it.each([
    ['main/cluster/probe.ts', '../settings/cluster-spec'],
    ['main/diagnostics/checks/probe.ts', '../../cluster/containers'],
    ['main/api/procedures/probe.ts', '../../setup/port-check'],
    ['main/web/probe.ts', '../support/bundle-store'],
    ['main/core.ts', './cluster/cluster-service'],
    ['main/queues/probe.ts', '@shared/worker-contract'],
  ])('%s may import %s', async (file, from) => {
    expect(await importProblems(file, from)).toEqual([]);
  });

  it('keeps main/shared browser-safe', async () => {
    expect(await importProblems('main/shared/probe.ts', 'node:fs')).toHaveLength(1);
    expect(await importProblems('main/shared/probe.ts', '../cluster/naming')).toHaveLength(1);
    expect(await importProblems('main/shared/probe.ts', './schemas/cluster')).toEqual([]);
  });

  it('lets the renderer import main/ only through @shared', async () => {
    const file = 'renderer/src/lib/probe.ts';
    expect(await importProblems(file, '../../../main/cluster/naming')).toHaveLength(1);
    expect(await importProblems(file, 'dockerode')).toHaveLength(1);
    expect(await importProblems(file, '@shared/contract')).toEqual([]);
    expect(await importProblems(file, './api/client')).toEqual([]);
  });

  it('keeps Electron out of the core', async () => {
    expect(await importProblems('main/cluster/probe.ts', 'electron')).toHaveLength(1);
    expect(await importProblems('main/electron/probe.ts', 'electron')).toEqual([]);
  });
});
