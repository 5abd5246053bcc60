/** Public surface of diagnostics: checks, runner, fixes, support bundle and the app log. */
export * from './types';
export { DiagnosticsContext, isAuthError } from './context';
export type { DiagnosticsContextOptions, EngineState, RedisState, RedisProblem } from './context';
export {
  runChecks,
  summarize,
  DEFAULT_CHECK_TIMEOUT_MS,
  DEFAULT_CHECK_CONCURRENCY,
} from './runner';
export type { RunChecksOptions } from './runner';
export {
  runDiagnostics,
  runCheck,
  applyFix,
  setCheckMuted,
  mutedChecks,
  coreLog,
  ALL_CHECKS,
  findCheck,
} from './diagnostics';
export type { DiagnosticsOptions, ApplyFixOptions } from './diagnostics';
export { runFix, generalFixes, FACTORY_RESET_CONFIRM } from './fixes';
export type { FixOptions, FixOutcome } from './fixes';
export { createSupportBundle, BUNDLE_LOG_LINES } from './support-bundle';
export type { SupportBundle, SupportBundleOptions } from './support-bundle';
export { openAppLog, AppLog, APP_LOG_FILE, APP_LOG_MAX_BYTES, APP_LOG_MAX_FILES } from './app-log';
export type { LogLevel, LogFields, AppLogOptions } from './app-log';
