/**
 * The history recorder (main/history/history-recorder.ts) as a supervisor duty: while this
 * process supervises the cluster, every tick may append a frame (every 5 s) to the cluster's
 * history on disk, so the console draws the last day at once, even after a restart.
 */
import { HistoryRecorder, type HistoryRecorderOptions } from '../history/history-recorder';
import type { SupervisorDuty } from './duty';

export function historyDuty(options: HistoryRecorderOptions = {}): SupervisorDuty {
  return new HistoryRecorder(options);
}
