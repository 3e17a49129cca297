import { DispatchMetadataSchema, PersonaSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventEmitter } from 'node:events';
import {
  ParticipantKind,
  type RemoteParticipant,
  type RemoteTrackPublication,
  type Room,
  RoomEvent,
  TrackSource,
} from '@livekit/rtc-node';
import {
  agentInConversation,
  callInputFor,
  microphonePublished,
  templateValues,
} from './call-session.js';

test('a phone caller becomes a call record with their number, the dialed number and the tenant', () => {
  const metadata = DispatchMetadataSchema.parse({
    personaId: 'sales',
    channel: 'phone',
    tenantId: 'tenant-acme',
    variables: { campaign: 'spring' },
  });
  const call = callInputFor(metadata, 'room-1', {
    identity: 'sip_+15550001111',
    attributes: { 'sip.phoneNumber': '+15550001111', 'sip.trunkPhoneNumber': '+15559990000' },
  });
  assert.deepEqual(call, {
    tenantId: 'tenant-acme',
    personaId: 'sales',
    channel: 'phone',
    roomName: 'room-1',
    participantIdentity: 'sip_+15550001111',
    caller: { phoneNumber: '+15550001111' },
    dialedNumber: '+15559990000',
    variables: { campaign: 'spring' },
  });
});

test('a web visitor has no tenant hint for the default tenant, and no numbers', () => {
  const metadata = DispatchMetadataSchema.parse({
    personaId: 'default',
    channel: 'web',
    visitor: { id: 'v1', name: 'Ada' },
  });
  const call = callInputFor(metadata, 'room-2', { identity: 'visitor-1', attributes: {} });
  assert.equal(call.tenantId, undefined);
  assert.deepEqual(call.caller, { id: 'v1', name: 'Ada' });
  assert.equal(call.dialedNumber, undefined);
});

test('template values: persona defaults, then session variables, then built-ins', () => {
  const persona = PersonaSchema.parse({
    id: 'p',
    name: 'Shop',
    greeting: 'Hi',
    instructions: '',
    variables: { campaign: 'default', city: 'Paris' },
    businessHours: { timeZone: 'Europe/Paris', weekly: [] },
  });
  const values = templateValues(
    persona,
    {
      personaId: 'p',
      channel: 'web',
      roomName: 'r',
      variables: { campaign: 'spring', channel: 'x' },
    },
    new Date('2026-11-23T08:30:00Z'),
  );
  assert.equal(values.campaign, 'spring');
  assert.equal(values.city, 'Paris');
  assert.equal(values.channel, 'web', 'built-ins win over session variables');
  assert.equal(values.current_weekday, 'Monday');
  assert.equal(values.current_time, '9:30 AM');
  assert.equal(values.persona_name, 'Shop');
});

test('a second agent dispatched to a re-created room finds the agent already holding the call', () => {
  const visitor = { identity: 'visitor-1', kind: ParticipantKind.STANDARD, attributes: {} };
  const joining = {
    identity: 'agent-new',
    kind: ParticipantKind.AGENT,
    attributes: { 'lk.agent.state': 'initializing' },
  };
  const holding = {
    identity: 'agent-first',
    kind: ParticipantKind.AGENT,
    attributes: { 'lk.agent.state': 'listening' },
  };
  assert.equal(agentInConversation([visitor, joining]), undefined);
  assert.equal(agentInConversation([visitor, joining, holding]), holding);
  // a visitor cannot pass for an agent by setting the attribute
  const posing = { ...visitor, attributes: { 'lk.agent.state': 'speaking' } };
  assert.equal(agentInConversation([posing]), undefined);
});

test('the greeting learns whether the visitor has a microphone: once published, or after the wait', async () => {
  const room = new EventEmitter() as unknown as Pick<Room, 'on' | 'off'> & EventEmitter;
  const publication = (source: TrackSource) => ({ source }) as RemoteTrackPublication;
  const visitor = {
    identity: 'visitor_a',
    trackPublications: new Map<string, RemoteTrackPublication>(),
  };
  const published = microphonePublished(room, visitor, 5_000);
  let done = false;
  void published.then(() => (done = true));
  // A screen share, or another participant's microphone, does not count.
  room.emit(RoomEvent.TrackPublished, publication(TrackSource.SOURCE_SCREENSHARE), visitor);
  room.emit(RoomEvent.TrackPublished, publication(TrackSource.SOURCE_MICROPHONE), {
    identity: 'visitor_b',
  } as RemoteParticipant);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(done, false);
  room.emit(RoomEvent.TrackPublished, publication(TrackSource.SOURCE_MICROPHONE), visitor);
  await published;
  assert.equal(room.listenerCount(RoomEvent.TrackPublished), 0);

  // Already published: at once. Never published (text only): after the wait.
  visitor.trackPublications.set('TR_1', publication(TrackSource.SOURCE_MICROPHONE));
  await microphonePublished(room, visitor, 5_000);
  const started = Date.now();
  await microphonePublished(room, { ...visitor, trackPublications: new Map() }, 30);
  assert.ok(Date.now() - started >= 25);
});
