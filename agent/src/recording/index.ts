/** Call recording: what worker.ts needs to record calls on the Parley server. */
export { CallApi, type CallOp } from './call-api.js';
export {
  DEFAULT_RATES,
  estimateCost,
  estimateCostUsd,
  type Rate,
  type RateCard,
} from './call-cost.js';
export {
  CallRecorder,
  type CallEnd,
  type CallRecorderOptions,
  type CloseReport,
} from './call-recorder.js';
export type { RecorderLogger } from './recorder-logger.js';
export { recordingConfig, type RecordingConfig } from './recording-config.js';
export { attachRecorder, type AttachRecorderOptions, type CallRecording } from './recording.js';
export {
  flushSpool,
  startSpoolFlusher,
  type FlushReport,
  type SpoolFlusher,
} from './spool-flusher.js';
export { summarizeCall } from './call-summary.js';
export { TurnBuilder } from './turn-builder.js';
