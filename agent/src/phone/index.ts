/** Phone calls: what the worker needs beyond a web call (see phone-call.ts). */
export {
  answerAtOnce,
  attachPhoneFeatures,
  calleeAnswered,
  NARROWBAND_WARNING,
  phoneCallerHistory,
  phoneDirection,
} from './phone-call.js';
export { endWhenCallerLeaves } from './caller-leaves.js';
export { PhoneApi, type PhoneApiOptions } from './phone-api.js';
export { type CallTransferScope, warmTransferFor } from './call-transfer.js';
export { briefing, warmTransfer, type WarmTransferOutcome } from './warm-transfer.js';
