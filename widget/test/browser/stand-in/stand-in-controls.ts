/** What a transcript line sent by the stand-in agent looks like. */
export interface StandInLine {
  /** `user`: the agent's transcription of the visitor's microphone; `agent`: its own speech. */
  role: 'user' | 'agent';
  /** The text, sent as one chunk, or as `chunks` when given. */
  text: string;
  chunks?: string[];
  /** Segment id; lines of one segment replace each other. Defaults to a new id per line. */
  segmentId?: string;
  /** The header's `lk.transcription_final` (visitor lines only carry it as LiveKit Agents does). */
  final?: boolean;
}

/**
 * The handle a browser test drives the stand-in LiveKit room of the newest call with, as
 * `window.parleyStandIn` in the page. It plays the parts of livekit-server and the agent: the
 * agent joins, changes its `lk.agent.state`, sends transcript streams, leaves; the connection drops.
 */
export interface StandInControls {
  /** Rooms the widget has joined so far (one per call). */
  readonly joinedRooms: number;
  /** The LiveKit URL and token of the newest joined room. */
  readonly joinedWith: { url: string; token: string } | undefined;
  /** Tracks the visitor published in the newest room (their microphone). */
  readonly publishedTracks: number;
  /** Text the visitor sent in any room, with its topic. */
  readonly sentTexts: ReadonlyArray<{ topic: string; text: string }>;
  /** The agent participant joins the newest room with `lk.agent.state` set to `state`. */
  agentJoins(state: string): void;
  /** The agent sets its `lk.agent.state`. */
  setAgentState(state: string): void;
  /** The agent leaves the room: it hung up. */
  agentLeaves(): void;
  /** The agent sends one `lk.transcription` stream; resolves when the stream has been read out. */
  transcribe(line: StandInLine): Promise<void>;
  /** The room connection breaks off (a network loss LiveKit gave up on). */
  dropConnection(): void;
  /** The browser refuses to play the agent's audio until a user gesture (`startAudio()`). */
  blockAudioPlayback(): void;
}

declare global {
  interface Window {
    parleyStandIn: StandInControls;
  }
}
