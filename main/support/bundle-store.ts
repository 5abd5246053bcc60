/**
 * Where support bundles made from the console live: `<home>/support-bundles/`, named by time,
 * the newest few kept. The browser console downloads them by name (main/web/downloads.ts), so
 * names are checked against one strict pattern before any file is touched.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { alertsBundleSection } from '../alerts/alert-bundle';
import type { Core } from '../core';
import type { DiagnosticsContextOptions } from '../diagnostics/context';
import { createSupportBundle, type BundleSection } from '../diagnostics/support-bundle';

export const SUPPORT_DIR_NAME = 'support-bundles';
export const KEEP_BUNDLES = 5;
export const BUNDLE_NAME_PATTERN = /^guildhall-support-\d{8}-\d{6}(-\d{1,3})?\.zip$/;

export interface StoredBundle {
  file: string;
  fileName: string;
  entries: string[];
  sizeBytes: number;
}

export function supportDir(core: Pick<Core, 'home'>): string {
  return path.join(core.home, SUPPORT_DIR_NAME);
}

/** guildhall-support-20250131-142501.zip (UTC). */
export function bundleFileName(at: Date): string {
  const iso = at.toISOString(); // 2025-01-31T14:25:01.123Z
  return `guildhall-support-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}.zip`;
}

/** The bundle's path when `name` is a bundle name that exists in the support folder; else null. */
export async function findBundle(core: Pick<Core, 'home'>, name: string): Promise<string | null> {
  if (!BUNDLE_NAME_PATTERN.test(name)) return null;
  const file = path.join(supportDir(core), name);
  try {
    return (await fs.stat(file)).isFile() ? file : null;
  } catch {
    return null;
  }
}

/** Removes all but the newest `keep` bundles. */
export async function pruneBundles(core: Pick<Core, 'home'>, keep = KEEP_BUNDLES): Promise<void> {
  let names: string[];
  try {
    names = (await fs.readdir(supportDir(core))).filter((n) => BUNDLE_NAME_PATTERN.test(n));
  } catch {
    return;
  }
  const old = names.sort().reverse().slice(keep);
  await Promise.all(old.map((n) => fs.rm(path.join(supportDir(core), n), { force: true })));
}

async function freeName(dir: string, base: string): Promise<string> {
  for (let i = 0; i < 1000; i++) {
    const name = i === 0 ? base : base.replace(/\.zip$/, `-${i}.zip`);
    try {
      await fs.access(path.join(dir, name));
    } catch {
      return name;
    }
  }
  return base;
}

/** What the layers above diagnostics add to every bundle: the alerts' state. */
export function bundleSections(core: Core): BundleSection[] {
  return [alertsBundleSection(core)];
}

/** Writes a new support bundle into the support folder and keeps the newest few. */
export async function makeSupportBundle(
  core: Core,
  options: DiagnosticsContextOptions & { now?: Date } = {},
): Promise<StoredBundle> {
  const dir = supportDir(core);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const fileName = await freeName(dir, bundleFileName(options.now ?? new Date()));
  const { now: _now, ...diagnostics } = options;
  const bundle = await createSupportBundle(core, path.join(dir, fileName), {
    ...diagnostics,
    sections: bundleSections(core),
  });
  await pruneBundles(core);
  const { size } = await fs.stat(bundle.file);
  return { file: bundle.file, fileName, entries: bundle.entries, sizeBytes: size };
}
