import { launcherLabels } from './launcher-labels.js';
import type { Messages } from './messages.js';

export const en: Messages = {
  lang: 'en',
  launcher: launcherLabels.en,
  panel: 'Voice call',
  status: {
    idle: '',
    'requesting-microphone': 'Waiting for microphone access…',
    connecting: 'Connecting…',
    'waiting-for-agent': 'Waiting for the assistant…',
    listening: 'Listening',
    thinking: 'Thinking…',
    speaking: 'Speaking',
    reconnecting: 'Connection lost, reconnecting…',
    ended: 'Call ended',
    error: 'Call failed',
  },
  textReady: 'Your turn',
  endCall: 'End call',
  mute: 'Mute',
  holdToTalk: 'Hold to talk',
  callDuration: 'Call duration',
  transcript: 'Transcript',
  you: 'You:',
  assistant: 'Assistant:',
  messageLabel: 'Message',
  messagePlaceholder: 'Type a message…',
  send: 'Send',
  turnOnSound: 'Turn on sound',
  useText: 'Type instead',
  visitorLevel: 'Your voice',
  agentLevel: 'Assistant voice',
  errors: {
    unsupported_browser:
      'Voice calls need a secure (https) page in a browser with microphone support.',
    microphone_denied:
      'Microphone access was blocked. Allow it for this site and try again, or type instead.',
    microphone_unavailable: 'The microphone could not be started. You can type instead.',
    server_unreachable: 'Could not reach the voice assistant. Please try again later.',
    invalid_response: 'The voice assistant sent an answer this page does not understand.',
    connection_failed: 'Could not connect to the voice assistant. Please try again later.',
    connection_lost: 'The connection to the voice assistant was lost.',
    agent_unavailable: 'The voice assistant did not answer. Please try again in a moment.',
    internal: 'Something went wrong starting the call.',
  },
};
