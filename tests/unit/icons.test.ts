/**
 * The committed icons: every file the tray and the installers use exists at its size, macOS
 * template images are pure black + alpha, the five tray states differ in colour, and the PNGs
 * match their SVG sources (run `node scripts/build-icons.mjs` after editing an SVG).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { TRAY_ICON_KINDS, trayIconPath } from '../../main/electron/tray-icons';

const icons = path.resolve(import.meta.dirname, '..', '..', 'resources', 'icons');

function png(file: string): PNG {
  return PNG.sync.read(fs.readFileSync(file));
}

function withScale(file: string, scale: '@2x'): string {
  return file.replace(/\.png$/, `${scale}.png`);
}

/** Average colour of the opaque pixels in the badge corner (bottom-right quarter). */
function badgeColour(image: PNG): [number, number, number] {
  let r = 0;
  let g = 0;
  let b = 0;
  let n = 0;
  for (let y = Math.floor(image.height / 2); y < image.height; y++) {
    for (let x = Math.floor(image.width / 2); x < image.width; x++) {
      const i = (y * image.width + x) * 4;
      if (image.data[i + 3]! < 200) continue;
      r += image.data[i]!;
      g += image.data[i + 1]!;
      b += image.data[i + 2]!;
      n++;
    }
  }
  return [r / n, g / n, b / n];
}

describe('tray icons', () => {
  it('exist for every state on every platform, at 16 px with a 32 px @2x', () => {
    for (const kind of TRAY_ICON_KINDS) {
      for (const platform of ['darwin', 'win32'] as const) {
        const file = trayIconPath(icons, kind, platform);
        expect(png(file).width, file).toBe(16);
        expect(png(file).height, file).toBe(16);
        expect(png(withScale(file, '@2x')).width, file).toBe(32);
      }
      const linux = trayIconPath(icons, kind, 'linux');
      expect(png(linux).width, linux).toBe(32);
    }
  });

  it('macOS template images are black with alpha only, and not empty', () => {
    for (const kind of TRAY_ICON_KINDS) {
      const file = trayIconPath(icons, kind, 'darwin');
      expect(path.basename(file)).toMatch(/Template\.png$/);
      for (const image of [png(file), png(withScale(file, '@2x'))]) {
        let opaque = 0;
        for (let i = 0; i < image.data.length; i += 4) {
          if (image.data[i + 3] === 0) continue;
          opaque++;
          expect([image.data[i], image.data[i + 1], image.data[i + 2]]).toEqual([0, 0, 0]);
        }
        expect(opaque).toBeGreaterThan(image.width * image.height * 0.2);
      }
    }
  });

  it('colour images show a distinct badge colour per state at 16 px', () => {
    const colours = TRAY_ICON_KINDS.map((kind) =>
      badgeColour(png(trayIconPath(icons, kind, 'win32'))),
    );
    for (let a = 0; a < colours.length; a++) {
      for (let b = a + 1; b < colours.length; b++) {
        const [x, y] = [colours[a]!, colours[b]!];
        const distance = Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]);
        expect(distance, `${TRAY_ICON_KINDS[a]} vs ${TRAY_ICON_KINDS[b]}`).toBeGreaterThan(40);
      }
    }
  });
});

describe('app icons', () => {
  it('has the 512 and 256 px PNGs and a Windows .ico with sizes up to 256 px', () => {
    expect(png(path.join(icons, 'app', 'icon.png'))).toMatchObject({ width: 512, height: 512 });
    expect(png(path.join(icons, 'app', 'icon-256.png'))).toMatchObject({ width: 256, height: 256 });
    const ico = fs.readFileSync(path.join(icons, 'app', 'icon.ico'));
    expect(ico.readUInt16LE(0)).toBe(0); // reserved
    expect(ico.readUInt16LE(2)).toBe(1); // type: icon
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => ico[6 + i * 16] || 256);
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });
});

describe('icon sources', () => {
  function rasterize(svgFile: string, size: number): Buffer {
    const svg = fs.readFileSync(path.join(icons, 'src', svgFile), 'utf8');
    const resvg = new Resvg(svg, {
      fitTo: { mode: 'width', value: size },
      font: { loadSystemFonts: false },
      shapeRendering: 2,
    });
    return PNG.sync.read(resvg.render().asPng()).data;
  }

  it('the committed PNGs are the current SVG sources rasterized', () => {
    const pairs: [string, string, number][] = [
      ['app.svg', 'app/icon.png', 512],
      ['app.svg', 'app/icon-256.png', 256],
    ];
    for (const kind of TRAY_ICON_KINDS) {
      pairs.push([`tray-${kind}.svg`, `tray/tray-${kind}.png`, 16]);
      pairs.push([`tray-${kind}.svg`, `tray/tray-${kind}@2x.png`, 32]);
      pairs.push([`tray-${kind}-template.svg`, `tray/tray-${kind}Template.png`, 16]);
      pairs.push([`tray-${kind}-template.svg`, `tray/tray-${kind}Template@2x.png`, 32]);
    }
    for (const [svg, file, size] of pairs) {
      expect(png(path.join(icons, file)).data.equals(rasterize(svg, size)), file).toBe(true);
    }
  });
});
