/**
 * diagnostics.* (run, fix, mute, support bundle) and app.* for the troubleshooting page and the
 * shell (first launch, the app's own log, opening a file in the desktop app). Files reach the
 * browser console through the authenticated download routes of main/web/downloads.ts.
 */
import path from 'node:path';
import { generalFixes } from '../../diagnostics/fixes';
import { applyFix, runDiagnostics, setCheckMuted } from '../../diagnostics/diagnostics';
import { coreLog } from '../../core';
import { makeSupportBundle, supportDir } from '../../support/bundle-store';
import { tailAppLog } from '../../support/app-log-tail';
import { setupState } from '../../setup/setup-state';
import { GuildhallError } from '../../util/errors';
import type { ApiContext } from '../context';
import { DOWNLOADS } from '@shared/schemas/diagnostics';
import { os } from './base';

/** The browser console downloads files; the desktop app opens them. */
function canDownload(context: ApiContext): boolean {
  return context.transport === 'websocket' || context.transport === 'http';
}

export const diagnosticsProcedures = {
  run: os.diagnostics.run.handler(async ({ input, context }) => {
    const { core } = context.services;
    const report = await runDiagnostics(core, input?.ids ? { only: input.ids } : {});
    const { spec } = await core.cluster.spec();
    return { ...report, generalFixes: generalFixes(spec.name) };
  }),

  fix: os.diagnostics.fix.handler(async ({ input, context }) => {
    const { services } = context;
    const result = await services.operation('diagnostics.fix', input.operationId, (onProgress) =>
      applyFix(services.core, input.fixId, {
        ...(input.checkId ? { checkId: input.checkId } : {}),
        ...(input.confirm !== undefined ? { confirm: input.confirm } : {}),
        ...(input.file ? { file: input.file } : {}),
        onProgress,
      }),
    );
    // Most fixes change the cluster: let every window see its new state at once.
    await services.core.cluster.status().then(
      (status) => services.offerClusterStatus(status),
      () => {},
    );
    return result;
  }),

  mute: os.diagnostics.mute.handler(async ({ input, context }) => ({
    muted: await setCheckMuted(context.services.core, input.id, input.muted),
  })),

  bundle: os.diagnostics.bundle.handler(async ({ context }) => {
    const bundle = await makeSupportBundle(context.services.core);
    return {
      path: bundle.file,
      fileName: bundle.fileName,
      entries: bundle.entries,
      sizeBytes: bundle.sizeBytes,
      downloadUrl: canDownload(context)
        ? `${DOWNLOADS.supportBundle}${encodeURIComponent(bundle.fileName)}`
        : null,
      canOpen: context.services.openPath !== undefined,
    };
  }),
};

/** True when `file` is inside `dir` (after resolving both). */
function isInside(dir: string, file: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

export const appDiagnosticsProcedures = {
  firstLaunch: os.app.firstLaunch.handler(async ({ context }) => setupState(context.services.core)),

  log: {
    tail: os.app.log.tail.handler(async ({ input, context }) =>
      tailAppLog(context.services.core, input?.lines ?? 200),
    ),
    path: os.app.log.path.handler(async ({ context }) => {
      const log = await coreLog(context.services.core);
      return {
        path: log.file,
        downloadUrl: canDownload(context) ? DOWNLOADS.appLog : null,
        canOpen: context.services.openPath !== undefined,
      };
    }),
  },

  openPath: os.app.openPath.handler(async ({ input, context }) => {
    const { core, openPath } = context.services;
    if (!openPath) {
      throw new GuildhallError(
        'invalid-input',
        'Files can be opened only in the Guildhall app.',
        'Download the file instead.',
      );
    }
    // Only the app's own files: its logs and support bundles.
    const allowed = [core.settings.paths.logs, supportDir(core)];
    if (!allowed.some((dir) => isInside(dir, input.path))) {
      throw new GuildhallError(
        'invalid-input',
        'Only Guildhall log files and support bundles can be opened from here.',
        'Open other files from your file manager.',
      );
    }
    try {
      await openPath(path.resolve(input.path));
    } catch (err) {
      throw new GuildhallError(
        'not-found',
        `The file could not be opened: ${(err as Error).message}`,
        'Check that the file still exists, or open the folder from your file manager.',
      );
    }
    return { opened: true };
  }),
};
