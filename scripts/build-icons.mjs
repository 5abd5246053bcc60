#!/usr/bin/env node
/**
 * Rasterizes the icon sources in resources/icons/src/*.svg into the PNG/ICO files the app and
 * the installers use. The outputs are committed, so packaging never needs this script; run it
 * after editing an SVG:  node scripts/build-icons.mjs
 *
 *   resources/icons/app/icon.png            512 px  (installers, macOS icns source, Linux)
 *   resources/icons/app/icon-256.png        256 px  (window icon)
 *   resources/icons/app/icon.ico            16–256 px (Windows)
 *   resources/icons/tray/tray-<state>.png           16 px, @2x 32 px (Windows, Linux)
 *   resources/icons/tray/tray-<state>Template.png   16 px, @2x 32 px (macOS template images)
 *
 * States: running, degraded, stopped, busy, no-engine (see main/electron/tray-icons.ts).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import pngToIco from 'png-to-ico';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'resources/icons/src');
const appDir = join(root, 'resources/icons/app');
const trayDir = join(root, 'resources/icons/tray');

export const TRAY_STATES = ['running', 'degraded', 'stopped', 'busy', 'no-engine'];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

/** Renders an SVG to a PNG of `size` × `size` pixels. */
function rasterize(svg, size) {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: size },
    font: { loadSystemFonts: false },
    shapeRendering: 2, // geometricPrecision: anti-aliased edges
  });
  return resvg.render().asPng();
}

async function write(file, data) {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, data);
  console.log(`wrote ${file.slice(root.length + 1)} (${data.length} bytes)`);
}

const appSvg = await readFile(join(src, 'app.svg'), 'utf8');
await write(join(appDir, 'icon.png'), rasterize(appSvg, 512));
await write(join(appDir, 'icon-256.png'), rasterize(appSvg, 256));
await write(
  join(appDir, 'icon.ico'),
  await pngToIco(ICO_SIZES.map((size) => rasterize(appSvg, size))),
);

for (const state of TRAY_STATES) {
  const colour = await readFile(join(src, `tray-${state}.svg`), 'utf8');
  const template = await readFile(join(src, `tray-${state}-template.svg`), 'utf8');
  await write(join(trayDir, `tray-${state}.png`), rasterize(colour, 16));
  await write(join(trayDir, `tray-${state}@2x.png`), rasterize(colour, 32));
  await write(join(trayDir, `tray-${state}Template.png`), rasterize(template, 16));
  await write(join(trayDir, `tray-${state}Template@2x.png`), rasterize(template, 32));
}
