/**
 * The facts about the user's computer that engine discovery reads: environment variables, home
 * directory, platform and a few file-system reads. Everything is injectable so tests can point
 * discovery at temporary directories; the defaults read the real machine.
 */
import { accessSync, constants, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';

export type EnvVars = Record<string, string | undefined>;

export interface HostFileSystem {
  /** True when something (file, socket, directory, pipe) exists at the path. */
  exists(path: string): boolean;
  /** True when the path is a regular file the current user may execute. */
  isExecutableFile(path: string): boolean;
  /** The file's text, or undefined when it cannot be read. */
  readText(path: string): string | undefined;
  /** The path with symlinks resolved, or the path itself when it cannot be resolved. */
  realpath(path: string): string;
}

export interface HostEnvironment {
  env: EnvVars;
  home: string;
  platform: NodeJS.Platform;
  fs: HostFileSystem;
}

export const realFileSystem: HostFileSystem = {
  exists(path) {
    try {
      statSync(path);
      return true;
    } catch (err) {
      // A socket we may not stat is still there.
      return (err as NodeJS.ErrnoException).code === 'EACCES';
    }
  },
  isExecutableFile(path) {
    try {
      if (!statSync(path).isFile()) return false;
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  readText(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  realpath(path) {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  },
};

/** The real machine, with any of its parts replaced. */
export function hostEnvironment(overrides: Partial<HostEnvironment> = {}): HostEnvironment {
  return {
    env: overrides.env ?? process.env,
    home: overrides.home ?? homedir(),
    platform: overrides.platform ?? process.platform,
    fs: overrides.fs ?? realFileSystem,
  };
}
