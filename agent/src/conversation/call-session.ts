import {
  ParticipantKind,
  type RemoteParticipant,
  type RemoteTrackPublication,
  type Room,
  RoomEvent,
  TrackSource,
} from '@livekit/rtc-node';
import type { CallInput, DispatchMetadata, Persona } from '@parley/contracts';
import { builtinValues, type TemplateValues } from '@parley/contracts';
import { SipClient } from 'livekit-server-sdk';
import type { AgentConfig } from '../config.js';

/** LiveKit SIP sets these on a phone caller's participant. */
const SIP_PHONE_ATTRIBUTE = 'sip.phoneNumber';
const SIP_TRUNK_NUMBER_ATTRIBUTE = 'sip.trunkPhoneNumber';
const E164 = /^\+[1-9]\d{6,14}$/;

/** LiveKit Agents publishes each agent's state in this participant attribute. */
const AGENT_STATE_ATTRIBUTE = 'lk.agent.state';

/**
 * Another agent of the room that is already holding the conversation, if any. A restarted
 * livekit-server forgets its rooms: the visitor's reconnect re-creates the room, which dispatches
 * a second agent, while the call's own agent rejoins it too. The second one must leave.
 */
export function agentInConversation(
  participants: Iterable<Pick<RemoteParticipant, 'identity' | 'kind' | 'attributes'>>,
): Pick<RemoteParticipant, 'identity'> | undefined {
  for (const participant of participants) {
    const state = participant.attributes[AGENT_STATE_ATTRIBUTE];
    if (participant.kind === ParticipantKind.AGENT && state && state !== 'initializing') {
      return participant;
    }
  }
  return undefined;
}

/** The call record to create for a participant who joined a dispatched room. */
export function callInputFor(
  metadata: DispatchMetadata,
  roomName: string,
  participant: Pick<RemoteParticipant, 'identity' | 'attributes'>,
): CallInput {
  const phoneNumber = participant.attributes[SIP_PHONE_ATTRIBUTE];
  const dialed = participant.attributes[SIP_TRUNK_NUMBER_ATTRIBUTE];
  return {
    ...(metadata.tenantId ? { tenantId: metadata.tenantId } : {}),
    personaId: metadata.personaId,
    channel: metadata.channel,
    roomName,
    participantIdentity: participant.identity,
    caller: { ...metadata.visitor, ...(phoneNumber ? { phoneNumber } : {}) },
    ...(dialed && E164.test(dialed) ? { dialedNumber: dialed } : {}),
    variables: metadata.variables,
  };
}

/**
 * Values for a persona's `{{placeholders}}`: its own defaults, then the session's variables,
 * then the built-ins (time in the persona's time zone, channel, caller), which win.
 */
export function templateValues(
  persona: Persona,
  call: CallInput,
  now = new Date(),
): TemplateValues {
  return {
    ...persona.variables,
    ...call.variables,
    ...builtinValues({
      now,
      timeZone: persona.businessHours?.timeZone ?? 'UTC',
      channel: call.channel,
      personaName: persona.name,
      language: persona.language,
      callerNumber: call.caller?.phoneNumber,
      callerName: call.caller?.name,
    }),
  };
}

/** Client tools: the agent calls the visitor's page over LiveKit RPC. */
export function participantRpc(room: Room, identity: string) {
  return {
    call(method: string, payload: string, timeoutMs: number): Promise<string> {
      const local = room.localParticipant;
      if (!local) return Promise.reject(new Error('the agent is not connected to the room'));
      return local.performRpc({
        destinationIdentity: identity,
        method,
        payload,
        responseTimeout: timeoutMs,
      });
    },
  };
}

/** Phone calls: moves the caller's SIP leg to `target` (E.164 number or sip: URI). */
export function sipTransfer(config: AgentConfig, roomName: string, identity: string) {
  const httpUrl = config.livekit.url.replace(/^ws/, 'http');
  const client = new SipClient(httpUrl, config.livekit.apiKey, config.livekit.apiSecret);
  return (target: string) =>
    client.transferSipParticipant(
      roomName,
      identity,
      target.startsWith('+') ? `tel:${target}` : target,
      { playDialtone: true },
    );
}

/**
 * Resolves once `participant` has published a microphone track, or after `ms` without one (a
 * text-only visitor never publishes one).
 */
export function microphonePublished(
  room: Pick<Room, 'on' | 'off'>,
  participant: Pick<RemoteParticipant, 'identity' | 'trackPublications'>,
  ms: number,
): Promise<void> {
  const isMicrophone = (publication: RemoteTrackPublication) =>
    publication.source === TrackSource.SOURCE_MICROPHONE;
  if ([...participant.trackPublications.values()].some(isMicrophone)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      room.off(RoomEvent.TrackPublished, onPublished);
      resolve();
    };
    const onPublished = (publication: RemoteTrackPublication, from: RemoteParticipant) => {
      if (from.identity === participant.identity && isMicrophone(publication)) done();
    };
    const timer = setTimeout(done, ms);
    room.on(RoomEvent.TrackPublished, onPublished);
  });
}
