/** The history's public surface: the store, its bounds, the recorder and the API's shaping. */
export { HistoryStore, historyFolder, readHistory, type HistoryRead } from './history-store';
export { historyBoundBytes, lineBytesBound, COARSE_TIER, FINE_TIER, TIERS } from './history-bounds';
export type { HistoryFrame, ContainerPoint, HostPoint, QueuePoint } from './history-frame';
export {
  HistoryRecorder,
  frameOf,
  type HistoryRecorderOptions,
  type RecorderTick,
} from './history-recorder';
export { shapeHistory, type HistoryAnswer, type HistoryQuery } from './history-query';
