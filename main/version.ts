/** The app version, fixed at build time (electron-vite defines it); "dev" when run from source. */
declare const __GUILDHALL_VERSION__: string | undefined;

export function appVersion(): string {
  return typeof __GUILDHALL_VERSION__ === 'string' ? __GUILDHALL_VERSION__ : '0.0.0-dev';
}
