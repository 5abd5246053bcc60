/**
 * Typed progress events for long operations (up, scale, image pulls and builds). The CLI prints
 * them, the UI shows them; both get the same stream.
 */
export type ProgressStep =
  'engine' | 'settings' | 'image' | 'network' | 'volume' | 'redis' | 'worker' | 'scale' | 'remove';

export type ProgressStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface ProgressEvent {
  step: ProgressStep;
  /** What the step acts on: an image ref, a container name, a layer id… */
  target: string;
  status: ProgressStatus;
  message?: string;
  /** Bytes done and total, when known (image pulls, loads). */
  bytesDone?: number;
  bytesTotal?: number;
  /** Sub-item of the target, e.g. an image layer id. */
  item?: string;
  at: number;
}

export type ProgressSink = (event: ProgressEvent) => void;

export const noProgress: ProgressSink = () => {};

export function progress(
  sink: ProgressSink,
  step: ProgressStep,
  target: string,
  status: ProgressStatus,
  extra: Partial<Omit<ProgressEvent, 'step' | 'target' | 'status' | 'at'>> = {},
): void {
  sink({ step, target, status, ...extra, at: Date.now() });
}
