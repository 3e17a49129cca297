import { ROOM_PREFIX } from '@parley/sip';
import { participantKind } from '../livekit/livekit-events.js';
import type { LivekitEventHandler } from '../livekit/livekit-webhook-routes.js';
import type { WorkerRegistry } from '../livekit/worker-registry.js';

export interface PhoneAdmissionDeps {
  workers: WorkerRegistry;
  /** Ends the room for everyone in it: livekit-sip then refuses the caller's ringing INVITE. */
  closeRoom(roomName: string): Promise<void>;
  log(fields: object, message: string): void;
}

/**
 * Admission for phone callers, as `POST /v1/sessions` does for web visitors: when a caller
 * arrives (livekit-sip puts them in a fresh `phone-…` room, about 100 ms after their INVITE)
 * and every agent worker is full, the room is closed at once. livekit-sip answers only once the
 * agent publishes its audio, so it refuses the still-ringing INVITE with 486 Busy Here (about
 * 100 ms after the INVITE, on loopback) instead of ringing until its timeout with no agent
 * coming. An admitted caller takes a call slot, so web sessions do not overbook the workers
 * either. An outbound call takes its slot when it is placed (`outbound/outbound-phone.ts`);
 * transfers and "continue on my phone" dial into a call whose agent is already there.
 */
export function admitPhoneCallers(
  deps: PhoneAdmissionDeps,
  next: LivekitEventHandler,
): LivekitEventHandler {
  return async (event) => {
    const room = event.room?.name;
    const participant = event.participant;
    // A caller's room is `phone-_<caller>_<random>` (outbound rooms are `phone-out-…`), and only
    // a caller let in by a dispatch rule carries its `sip.ruleID` (a transfer leg has none).
    const isCaller =
      event.event === 'participant_joined' &&
      participant !== undefined &&
      participantKind(participant) === 'sip' &&
      room?.startsWith(`${ROOM_PREFIX}_`) === true &&
      Boolean(participant.attributes['sip.ruleID']);
    if (isCaller && room && !(await deps.workers.admit()).admitted) {
      deps.log(
        { roomName: room, caller: participant.attributes['sip.phoneNumber'] },
        'phone caller refused: every agent worker is busy',
      );
      await deps.closeRoom(room);
    }
    await next(event);
  };
}
