/**
 * `@parley/widget`: importing this module defines `<parley-voice>`.
 * The built `parley-voice.js` bundle is this module with its dependencies.
 */
export { ParleyVoice, TAG_NAME } from './parley-voice.js';
export { ParleyStateEvent, type ParleyStateDetail } from './events/parley-state-event.js';
export {
  ParleyTranscriptEvent,
  type ParleyTranscriptDetail,
} from './events/parley-transcript-event.js';
export { ParleyErrorEvent, type ParleyErrorDetail } from './events/parley-error-event.js';
export type { ParleyErrorCode, WidgetErrorCode } from './session-error.js';
export type { SessionState, AgentState } from './session-state.js';
export type { TranscriptRole, TranscriptSegment } from './transcript-assembler.js';
