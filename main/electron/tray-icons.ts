/**
 * Which tray image file to load for an icon kind on a platform. Pure; the files are built by
 * scripts/build-icons.mjs into resources/icons/tray (packaged: <resources>/icons/tray).
 *
 * - macOS: black template images (`…Template.png`, Electron picks `@2x` itself); the menu bar
 *   tints them for light and dark mode, the badge shape tells the state.
 * - Windows: the 16 px colour image; Electron adds the `@2x` file on high-DPI screens.
 * - Linux: the 32 px colour image; AppIndicator panels scale it to their 22–24 px size.
 */
import path from 'node:path';
import type { TrayIconKind } from './tray-model';

export const TRAY_ICON_KINDS: readonly TrayIconKind[] = [
  'running',
  'degraded',
  'stopped',
  'busy',
  'no-engine',
];

export function trayIconFileName(kind: TrayIconKind, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return `tray-${kind}Template.png`;
  if (platform === 'win32') return `tray-${kind}.png`;
  return `tray-${kind}@2x.png`;
}

export function trayIconPath(
  iconsDir: string,
  kind: TrayIconKind,
  platform: NodeJS.Platform,
): string {
  return path.join(iconsDir, 'tray', trayIconFileName(kind, platform));
}
