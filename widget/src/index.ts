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
export {
  ParleyConnectedEvent,
  type ParleyConnectedDetail,
} from './events/parley-connected-event.js';
export {
  ParleyEndedEvent,
  type ParleyEndedDetail,
  type EndReason,
} from './events/parley-ended-event.js';
export {
  ParleyRequestStartEvent,
  type ParleyRequestStartDetail,
} from './events/parley-request-start-event.js';
export { ParleyToolCallEvent, type ParleyToolCallDetail } from './events/parley-tool-call-event.js';
export {
  ParleyContinuedOnPhoneEvent,
  type ParleyContinuedOnPhoneDetail,
} from './events/parley-continued-on-phone-event.js';
export type {
  ClientToolContext,
  ClientToolHandler,
  ClientToolSchema,
  ToolArguments,
  ToolCallRecord,
} from './client-tools.js';
export type { Position, Theme, Variables } from './attributes.js';
export type { Messages } from './i18n/catalog.js';
export type { ParleyErrorCode, WidgetErrorCode } from './session-error.js';
export type { SessionState, AgentState } from './session-state.js';
export type { TranscriptRole, TranscriptSegment } from './transcript-assembler.js';
