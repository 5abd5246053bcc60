#!/usr/bin/env node
/**
 * Runs first in `npm start`: the desktop app needs Electron's binary, which `npm install`
 * downloads in electron's postinstall step. When that download did not happen (no network, a
 * proxy, ELECTRON_SKIP_BINARY_DOWNLOAD), electron-vite would end in "Error: Electron uninstall"
 * and a stack trace; this says what is missing and what to do instead, and exits 1.
 * It looks where electron-vite looks: ELECTRON_EXEC_PATH, else node_modules/electron/path.txt.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

function electronBinary() {
  if (process.env.ELECTRON_EXEC_PATH) return process.env.ELECTRON_EXEC_PATH;
  let moduleDir;
  try {
    moduleDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(moduleDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  return path.join(moduleDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
}

const binary = electronBinary();
if (binary === null || !fs.existsSync(binary)) {
  const skipped = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD
    ? ' (ELECTRON_SKIP_BINARY_DOWNLOAD is set in this shell)'
    : '';
  process.stderr.write(
    [
      `npm start: the desktop app needs Electron's binary, and it is not installed${skipped}.`,
      binary ? `  Missing: ${binary}` : '  node_modules/electron has no downloaded binary.',
      '  npm install downloads it from github.com (or ELECTRON_MIRROR). To fetch it now:',
      '    ELECTRON_SKIP_BINARY_DOWNLOAD= node node_modules/electron/install.js && npm start',
      '  Without it the CLI and the browser console work:',
      '    npm run build && npx guildhall up && npx guildhall console',
      '',
    ].join('\n'),
  );
  process.exit(1);
}
