export {
  PRE_CONNECT_TOPIC,
  PreConnectAudio,
  PreConnectAudioError,
  type PreConnectAudioReceiver,
  type PreConnectAudioOptions,
  receivePreConnectAudio,
} from './pre-connect-audio.js';
export { OpusDecodeError } from './opus-decoder.js';
export { WebmError } from './webm-opus.js';
export { ParticipantMicrophoneInput, type MicrophoneInputOptions } from './microphone-input.js';
export { recognising } from './early-audio.js';
