import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUTOSTART_FILE_NAME,
  applyStartAtLogin,
  autostartDesktopEntry,
  launchCommand,
} from '../../main/electron/login-item';

let home: string;
beforeEach(async () => {
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'ghshell-login-'));
});
afterEach(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

describe('start at login', () => {
  it('on Linux writes an XDG autostart entry that starts the app hidden, and removes it', async () => {
    const calls: unknown[] = [];
    const facts = {
      platform: 'linux' as const,
      execPath: '/opt/Guildhall/guildhall',
      env: { XDG_CONFIG_HOME: path.join(home, 'cfg') },
      home,
      setLoginItemSettings: (s: unknown) => calls.push(s),
    };
    const file = path.join(home, 'cfg', 'autostart', AUTOSTART_FILE_NAME);
    await applyStartAtLogin(true, facts);
    const entry = await fs.readFile(file, 'utf8');
    expect(entry).toContain('[Desktop Entry]');
    expect(entry).toContain('Exec=/opt/Guildhall/guildhall --hidden');
    expect(entry).toContain('Type=Application');
    await applyStartAtLogin(false, facts);
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await applyStartAtLogin(false, facts); // already off: no error
    expect(calls).toEqual([]);
  });

  it('uses ~/.config/autostart without XDG_CONFIG_HOME, and the AppImage path when run from one', async () => {
    await applyStartAtLogin(true, {
      platform: 'linux',
      execPath: '/tmp/.mount_Guild/guildhall',
      env: { APPIMAGE: '/home/me/Apps/Guildhall 0.1.0.AppImage' },
      home,
      setLoginItemSettings: () => {},
    });
    const entry = await fs.readFile(
      path.join(home, '.config', 'autostart', AUTOSTART_FILE_NAME),
      'utf8',
    );
    expect(entry).toContain('Exec="/home/me/Apps/Guildhall 0.1.0.AppImage" --hidden');
  });

  it('on macOS and Windows uses the OS login item with --hidden', async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const calls: unknown[] = [];
      const facts = {
        platform,
        execPath: 'C:\\Guildhall\\Guildhall.exe',
        env: {},
        home,
        setLoginItemSettings: (s: unknown) => calls.push(s),
      };
      await applyStartAtLogin(true, facts);
      await applyStartAtLogin(false, facts);
      expect(calls).toEqual([
        { openAtLogin: true, args: ['--hidden'] },
        { openAtLogin: false, args: ['--hidden'] },
      ]);
    }
    await expect(fs.readdir(home)).resolves.toEqual([]);
  });

  it('quotes Exec arguments per the Desktop Entry spec', () => {
    expect(launchCommand('/a/b', {})).toBe('/a/b');
    expect(autostartDesktopEntry('/a/with "quote" $x')).toContain(
      'Exec="/a/with \\"quote\\" \\$x" --hidden',
    );
  });
});
