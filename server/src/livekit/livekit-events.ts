import type { WebhookEvent } from 'livekit-server-sdk';
import type { LivekitEventHandler } from './livekit-webhook-routes.js';
import type { CallEventRepo, CallRepo, TenantStorage, WebhookRepo } from '../storage/index.js';
import type { Tenancy } from '../tenants/tenancy.js';

/** `livekit.ParticipantInfo.Kind` by number (the server SDK does not export the enum). */
const PARTICIPANT_KINDS: Readonly<Record<number, string>> = {
  0: 'standard',
  1: 'ingress',
  2: 'egress',
  3: 'sip',
  4: 'agent',
  7: 'connector',
  8: 'bridge',
};

/** A participant's kind by name (`sip`, `agent`, `standard`…), `unknown` for a new one. */
export function participantKind(participant: { kind: number }): string {
  return PARTICIPANT_KINDS[participant.kind] ?? 'unknown';
}

export interface LivekitEventRepos {
  calls: CallRepo;
  callEvents: CallEventRepo;
  /** `call.ended` goes out for a call this closes (same event id as the agent's close). */
  webhooks: WebhookRepo;
}

/**
 * What LiveKit's webhooks mean for call records. Participants joining and leaving are kept
 * with the room's call. When a room finishes while its call is still open, the agent never
 * closed it (it crashed, was killed, or cannot reach the server yet): the record is closed here
 * as failed, provisionally, so turns the agent spooled and its own close can still arrive.
 */
export function livekitEventHandler(
  { calls, callEvents, webhooks }: LivekitEventRepos,
  log: (line: string) => void = console.log,
) {
  return async (event: WebhookEvent): Promise<void> => {
    const room = event.room?.name;
    log(`livekit ${event.event} room=${room ?? '-'} id=${event.id}`);
    if (!room) return;
    if (event.event === 'participant_joined' || event.event === 'participant_left') {
      const participant = event.participant;
      if (!participant?.identity) return;
      await callEvents.record({
        eventId: event.id,
        roomName: room,
        type: event.event,
        identity: participant.identity,
        kind: participantKind(participant),
        at: new Date(Number(event.createdAt) * 1000).toISOString(),
      });
      return;
    }
    if (event.event !== 'room_finished') return;
    const call = await calls.getByRoom(room);
    if (!call || call.status !== 'active') return;
    const { closed, call: ended } = await calls.close(call.id, { outcome: 'failed' }, 'livekit');
    if (!closed) return;
    log(`closed call ${call.id}: its room finished before the agent closed it`);
    // The same stable id as the agent's close: the customer hears of each call's end once.
    await webhooks.enqueue({
      id: `${call.id}.ended`,
      type: 'call.ended',
      payload: { call: ended },
    });
  };
}

/**
 * Hands each LiveKit event to the handler built for the tenant its room belongs to: events name
 * only the room, whose web session or call says whose it is.
 */
export function byRoomTenant(
  tenancy: Tenancy,
  handlerFor: (tenant: TenantStorage) => LivekitEventHandler,
): LivekitEventHandler {
  return async (event) => handlerFor(await tenancy.ofRoom(event.room?.name))(event);
}
