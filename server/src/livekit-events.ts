import type { WebhookEvent } from 'livekit-server-sdk';
import type { CallRepo } from './storage/index.js';

/**
 * What LiveKit's webhooks mean for call records: when a room finishes while its call is still
 * open, the agent never closed it (it crashed or was killed), so the record is closed here with
 * every turn the agent had already stored.
 */
export function livekitEventHandler(calls: CallRepo, log: (line: string) => void = console.log) {
  return async (event: WebhookEvent): Promise<void> => {
    const room = event.room?.name;
    log(`livekit ${event.event} room=${room ?? '-'} id=${event.id}`);
    if (event.event !== 'room_finished' || !room) return;
    const call = await calls.getByRoom(room);
    if (!call || call.status !== 'active') return;
    const { closed } = await calls.close(call.id, { outcome: 'failed' });
    if (closed) log(`closed call ${call.id}: its room finished before the agent closed it`);
  };
}
