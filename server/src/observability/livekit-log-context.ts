import type { LivekitEventHandler } from '../livekit/livekit-webhook-routes.js';
import type { CallRepo } from '../storage/index.js';
import { annotateLogContext } from './log-context.js';

/**
 * Names the room of a LiveKit event, and the call it carries, in the current request's log
 * context before `handler` runs: every line logged about the event then says which call it was.
 */
export function withCallLogContext(
  handler: LivekitEventHandler,
  calls: CallRepo,
): LivekitEventHandler {
  return async (event) => {
    const roomName = event.room?.name;
    if (roomName) {
      annotateLogContext({ roomName });
      const call = await calls.getByRoom(roomName);
      if (call) annotateLogContext({ callId: call.id });
    }
    await handler(event);
  };
}
