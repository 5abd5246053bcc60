/**
 * Whether a container engine is installed at all, judged from engine programs on PATH and the
 * install folders of the desktop apps. Tells "not running" apart from "not installed".
 */
import { posix, win32 } from 'node:path';
import { hostEnvironment, type HostEnvironment } from './host-environment';
import type { EngineFlavor } from './types';

export interface InstalledEngine {
  flavor: EngineFlavor;
  /** What was found, e.g. "docker on PATH" or "Docker Desktop app". */
  what: string;
  path: string;
}

export interface EngineInstallation {
  installed: boolean;
  found: InstalledEngine[];
}

const PROGRAMS: ReadonlyArray<readonly [string, EngineFlavor]> = [
  ['docker', 'docker'],
  ['dockerd', 'docker'],
  ['podman', 'podman'],
  ['colima', 'colima'],
  ['rdctl', 'rancher-desktop'],
  ['orbctl', 'orbstack'],
];

function appDirs(host: HostEnvironment): Array<readonly [string, EngineFlavor, string]> {
  const { platform, home, env } = host;
  if (platform === 'darwin') {
    return [
      ['/Applications/Docker.app', 'docker-desktop', 'Docker Desktop app'],
      [posix.join(home, 'Applications', 'Docker.app'), 'docker-desktop', 'Docker Desktop app'],
      ['/Applications/OrbStack.app', 'orbstack', 'OrbStack app'],
      ['/Applications/Rancher Desktop.app', 'rancher-desktop', 'Rancher Desktop app'],
      ['/Applications/Podman Desktop.app', 'podman', 'Podman Desktop app'],
    ];
  }
  if (platform === 'win32') {
    const programFiles = env.ProgramFiles ?? env.PROGRAMFILES ?? 'C:\\Program Files';
    const localAppData = env.LOCALAPPDATA ?? win32.join(home, 'AppData', 'Local');
    return [
      [win32.join(programFiles, 'Docker', 'Docker'), 'docker-desktop', 'Docker Desktop'],
      [win32.join(programFiles, 'RedHat', 'Podman'), 'podman', 'Podman'],
      [
        win32.join(localAppData, 'Programs', 'Rancher Desktop'),
        'rancher-desktop',
        'Rancher Desktop',
      ],
    ];
  }
  return [['/opt/docker-desktop', 'docker-desktop', 'Docker Desktop']];
}

function pathEntries(host: HostEnvironment): string[] {
  const raw = host.env.PATH ?? host.env.Path ?? '';
  const separator = host.platform === 'win32' ? ';' : ':';
  return raw.split(separator).filter((dir) => dir.trim() !== '');
}

function programNames(program: string, host: HostEnvironment): string[] {
  if (host.platform !== 'win32') return [program];
  return ['.exe', '.cmd', '.bat'].map((ext) => program + ext);
}

/** Looks for engine programs on PATH and desktop-app install folders. */
export function detectEngineInstallation(host: Partial<HostEnvironment> = {}): EngineInstallation {
  const machine = hostEnvironment(host);
  const join = machine.platform === 'win32' ? win32.join : posix.join;
  const found: InstalledEngine[] = [];
  const dirs = pathEntries(machine);
  for (const [program, flavor] of PROGRAMS) {
    const hit = dirs
      .flatMap((dir) => programNames(program, machine).map((name) => join(dir, name)))
      .find((candidate) => machine.fs.isExecutableFile(candidate));
    if (hit !== undefined) found.push({ flavor, what: `${program} on PATH`, path: hit });
  }
  for (const [dir, flavor, what] of appDirs(machine)) {
    if (machine.fs.exists(dir)) found.push({ flavor, what, path: dir });
  }
  return { installed: found.length > 0, found };
}
