import { initializeLogger, type voice } from '@livekit/agents';
import { type Room, RoomEvent } from '@livekit/rtc-node';
import { type CallLeg, PersonaSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { ParticipantMicrophoneInput } from '../preconnect/index.js';
import { attachPhoneFeatures, CONTINUED_ON_PHONE_LINE, phoneDirection } from './phone-call.js';
import type { PhoneApi } from './phone-api.js';

initializeLogger({ pretty: false, level: 'warn' });

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

test('the dispatch metadata says whether a call is a phone call, and which way it goes', () => {
  assert.equal(phoneDirection('{"personaId":"p","channel":"phone"}'), 'inbound');
  assert.equal(phoneDirection('{"channel":"phone","direction":"outbound"}'), 'outbound');
  assert.equal(phoneDirection('{"channel":"web"}'), undefined);
  assert.equal(phoneDirection('not json'), undefined);
});

test('when the visitor’s phone answers during a web call, then the conversation moves to it and the legs are reported', async () => {
  const room = Object.assign(new EventEmitter(), {
    remoteParticipants: new Map<string, { identity: string; attributes: Record<string, string> }>(),
  });
  const participant = (identity: string, attributes: Record<string, string>) => {
    const p = { identity, attributes, trackPublications: new Map() };
    room.remoteParticipants.set(identity, p);
    return p;
  };
  participant('visitor', {});
  const microphone = new ParticipantMicrophoneInput(
    room as unknown as Room,
    'visitor',
    async () => [],
  );
  const linked: string[] = [];
  const said: string[] = [];
  const session = {
    input: { audio: microphone },
    _roomIO: { setParticipant: (identity: string) => linked.push(identity) },
    say: (text: string) => said.push(text),
  } as unknown as voice.AgentSession;
  const legs: CallLeg[] = [];
  const api = {
    reportLeg: async (_id: string, leg: CallLeg) => void legs.push(leg),
  } as unknown as PhoneApi;
  const caller = { identity: 'visitor' };
  const stop = attachPhoneFeatures({
    room: room as unknown as Room,
    session,
    persona: PersonaSchema.parse({ id: 'p', name: 'P', greeting: 'Hi', instructions: '' }),
    call: { personaId: 'p', channel: 'web', roomName: 'r', participantIdentity: 'visitor' },
    caller,
    sttEngines: ['deepgram', 'offline'],
    callId: async () => 'call_1',
    api,
    logger: silent,
  });

  const phone = participant('phone-1', {
    'parley.leg': 'continue-on-phone',
    'sip.callStatus': 'ringing',
    'sip.phoneNumber': '+15558100001',
  });
  room.emit(RoomEvent.ParticipantConnected, phone);
  assert.equal(microphone.identity, 'visitor', 'nothing moves while the phone rings');

  phone.attributes['sip.callStatus'] = 'active';
  room.emit(RoomEvent.ParticipantAttributesChanged, { 'sip.callStatus': 'active' }, phone);
  assert.equal(microphone.identity, 'phone-1', 'the session hears the phone');
  assert.deepEqual(linked, ['phone-1'], 'transcripts and hang-ups follow the phone');
  assert.equal(caller.identity, 'phone-1');
  assert.deepEqual(said, [CONTINUED_ON_PHONE_LINE]);

  room.emit(RoomEvent.ParticipantDisconnected, { identity: 'visitor' });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(
    legs.map(({ kind, identity, phoneNumber, direction, status }) => ({
      kind,
      identity,
      phoneNumber,
      direction,
      status,
    })),
    [
      {
        kind: 'phone',
        identity: 'phone-1',
        phoneNumber: '+15558100001',
        direction: 'outbound',
        status: 'answered',
      },
      {
        kind: 'web',
        identity: 'visitor',
        phoneNumber: undefined,
        direction: undefined,
        status: undefined,
      },
    ],
  );
  assert.ok(legs[1]?.endedAt, 'the web leg ended when the browser left');
  stop();
  await microphone.close();
});
