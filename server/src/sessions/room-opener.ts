import { RoomServiceClient, type RoomAgentDispatch } from 'livekit-server-sdk';

/**
 * Creates a web session's room, with the agent dispatched into it, as the session is issued: the
 * agent joins while the visitor's page still connects, instead of once its join made the room.
 *
 * The room keeps LiveKit's own empty timeout (a room restored after a LiveKit restart is closed
 * when it is older than that and nobody has rejoined yet, so a short one would end calls). A page
 * that never joins costs an agent 30 s: the agent then deletes the room and leaves, and should
 * the page join later, while its token lasts, its join makes the room again and the token's own
 * dispatch sends an agent.
 */
export type OpenRoom = (roomName: string, dispatch: RoomAgentDispatch) => Promise<void>;

export interface LivekitRoomOpenerOptions {
  /** livekit-server's URL (`ws://` is turned into `http://`). */
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** LiveKit answers on loopback or the LAN; a slower answer is a LiveKit in trouble. */
const REQUEST_TIMEOUT_SECONDS = 2;

export function livekitRoomOpener(options: LivekitRoomOpenerOptions): OpenRoom {
  const rooms = new RoomServiceClient(
    options.url.replace(/^ws/, 'http'),
    options.apiKey,
    options.apiSecret,
    { requestTimeout: REQUEST_TIMEOUT_SECONDS },
  );
  return async (roomName, dispatch) => {
    await rooms.createRoom({ name: roomName, agents: [dispatch] });
  };
}
