import { launcherLabels } from './launcher-labels.js';
import type { Messages } from './messages.js';

export const en: Messages = {
  lang: 'en',
  launcher: launcherLabels.en,
  panel: 'Voice call',
  status: {
    idle: '',
    consent: 'Before we start',
    'requesting-microphone': 'Waiting for microphone access…',
    connecting: 'Connecting…',
    'waiting-for-agent': 'Waiting for the assistant…',
    listening: 'Listening',
    thinking: 'Thinking…',
    speaking: 'Speaking',
    reconnecting: 'Connection lost, reconnecting…',
    ended: 'Call ended',
    'continued-on-phone': 'Continued on your phone',
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
  retry: 'Try again',
  accept: 'Accept',
  decline: 'Decline',
  visitorLevel: 'Your voice',
  agentLevel: 'Assistant voice',
  phone: {
    offer: 'Continue on my phone',
    label: 'Your phone number',
    hint: 'In international format: + and the country code, e.g. +14155550123.',
    next: 'Continue',
    cancel: 'Cancel',
    confirm: 'We will call {number} now.',
    callMe: 'Call me',
    back: 'Change number',
    dialing: 'Calling your phone…',
    problems: {
      invalid_number:
        'Enter the number in international format: + and the country code, e.g. +14155550123.',
      phone_unreachable:
        'Your phone did not answer. Check the number and try again, or keep talking here.',
      phone_unavailable: 'We cannot call phones right now. Please keep talking here.',
      invalid_request:
        'That number was not accepted. Check it and try again, or keep talking here.',
      do_not_call: 'We cannot call this number. Try another one, or keep talking here.',
      destination_not_allowed:
        'We cannot call numbers in that country. Try another number, or keep talking here.',
      phone_call_limit:
        'All our phone lines are busy. Try again in a few minutes, or keep talking here.',
      continue_on_phone_disabled:
        'Continuing on your phone is not available for this call. You can keep talking here.',
    },
  },
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
    at_capacity: 'All our agents are busy right now. Please try again in a moment.',
    internal: 'Something went wrong starting the call.',
  },
};
