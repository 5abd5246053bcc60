/**
 * `npm start` on a machine where Electron's binary was never downloaded: a short explanation of
 * what to do (and that the CLI and the browser console work without it), not electron-vite's
 * "Error: Electron uninstall" and a stack trace.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const script = path.join(root, 'scripts', 'check-electron.mjs');

function check(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [script], { cwd: root, env, encoding: 'utf8' });
}

describe('npm start without an Electron binary', () => {
  it('runs the check before building and starting', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.start).toMatch(/^node scripts\/check-electron\.mjs && /);
  });

  it('explains what is missing and what works without it, exit 1', () => {
    const missing = path.join(root, 'node_modules', 'electron', 'dist', 'no-such-electron');
    const result = check({ ...process.env, ELECTRON_EXEC_PATH: missing });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("the desktop app needs Electron's binary");
    expect(result.stderr).toContain(`Missing: ${missing}`);
    expect(result.stderr).toContain('node node_modules/electron/install.js');
    expect(result.stderr).toContain('npx guildhall console');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('passes when the binary is there', () => {
    const result = check({ ...process.env, ELECTRON_EXEC_PATH: process.execPath });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
  });
});
