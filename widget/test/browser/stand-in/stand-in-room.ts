import { ConnectionState, DisconnectReason, RoomEvent } from 'livekit-client';
import type { StandInControls, StandInLine } from './stand-in-controls.js';

type Listener = (...args: never[]) => void;

interface StandInParticipant {
  readonly identity: string;
  readonly isAgent: boolean;
  attributes: Record<string, string>;
  audioLevel: number;
}

interface StandInStreamReader extends AsyncIterable<string> {
  readonly info: {
    id: string;
    topic: string;
    timestamp: number;
    attributes: Record<string, string>;
  };
}

type TextStreamHandler = (reader: StandInStreamReader, from: { identity: string }) => void;

const AGENT_IDENTITY = 'agent-stand-in';

/**
 * Stands in for livekit-client's `Room` in the browser tier: the widget's own code (element,
 * session controller, call, microphone, session request) runs as shipped, and this class plays
 * livekit-server and the agent, driven from the test through `window.parleyStandIn`. The test
 * bundle swaps it in for `Room` (see `widget-bundle.ts`); the shipped bundles never contain it.
 * Only the part of `Room` that `call.ts`, `room-listeners.ts` and `client-tools.ts` use is here.
 */
export class StandInRoom {
  static newest: StandInRoom | undefined;
  static joinedRooms = 0;
  static readonly sentTexts: Array<{ topic: string; text: string }> = [];

  state: ConnectionState = ConnectionState.Disconnected;
  canPlaybackAudio = true;
  joinedWith: { url: string; token: string } | undefined;
  readonly remoteParticipants = new Map<string, StandInParticipant>();
  readonly localParticipant: {
    identity: string;
    audioLevel: number;
    trackPublications: Map<string, unknown>;
    publishTrack(track: unknown): Promise<void>;
    sendText(text: string, options: { topic: string }): Promise<{ id: string }>;
  };
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #textHandlers = new Map<string, TextStreamHandler>();
  readonly #rpcMethods = new Map<string, unknown>();
  #streams = 0;

  constructor() {
    StandInRoom.newest = this;
    const publications = new Map<string, unknown>();
    this.localParticipant = {
      identity: '',
      audioLevel: 0,
      trackPublications: publications,
      publishTrack: (track) => {
        publications.set(`TR_stand_in_${publications.size + 1}`, track);
        return Promise.resolve();
      },
      sendText: (text, { topic }) => {
        StandInRoom.sentTexts.push({ topic, text });
        return Promise.resolve({ id: `text-${StandInRoom.sentTexts.length}` });
      },
    };
  }

  on(event: string, listener: Listener): this {
    const listeners = this.#listeners.get(event) ?? new Set<Listener>();
    listeners.add(listener);
    this.#listeners.set(event, listeners);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.#listeners.get(event)?.delete(listener);
    return this;
  }

  /** Joins at once; the session's identity (the token's subject) becomes the visitor's. */
  connect(url: string, token: string): Promise<void> {
    this.joinedWith = { url, token };
    this.localParticipant.identity = token.replace(/^stand-in-token:/, '');
    this.state = ConnectionState.Connected;
    StandInRoom.joinedRooms += 1;
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    if (this.state === ConnectionState.Disconnected) return Promise.resolve();
    this.state = ConnectionState.Disconnected;
    this.#emit(RoomEvent.Disconnected, DisconnectReason.CLIENT_INITIATED);
    return Promise.resolve();
  }

  /** Called from a user gesture, it unblocks playback, as the browser would. */
  startAudio(): Promise<void> {
    if (!this.canPlaybackAudio) {
      this.canPlaybackAudio = true;
      this.#emit(RoomEvent.AudioPlaybackStatusChanged, true);
    }
    return Promise.resolve();
  }

  blockAudioPlayback(): void {
    this.canPlaybackAudio = false;
    this.#emit(RoomEvent.AudioPlaybackStatusChanged, false);
  }

  getParticipantByIdentity(identity: string): StandInParticipant | undefined {
    return this.remoteParticipants.get(identity);
  }

  registerTextStreamHandler(topic: string, handler: TextStreamHandler): void {
    this.#textHandlers.set(topic, handler);
  }

  unregisterTextStreamHandler(topic: string): void {
    this.#textHandlers.delete(topic);
  }

  registerRpcMethod(method: string, handler: unknown): void {
    this.#rpcMethods.set(method, handler);
  }

  unregisterRpcMethod(method: string): void {
    this.#rpcMethods.delete(method);
  }

  agentJoins(state: string): void {
    const agent: StandInParticipant = {
      identity: AGENT_IDENTITY,
      isAgent: true,
      attributes: { 'lk.agent.state': state },
      audioLevel: 0,
    };
    this.remoteParticipants.set(agent.identity, agent);
    this.#emit(RoomEvent.ParticipantConnected, agent);
  }

  setAgentState(state: string): void {
    const agent = this.#agent();
    agent.attributes = { ...agent.attributes, 'lk.agent.state': state };
    this.#emit(RoomEvent.ParticipantAttributesChanged, { 'lk.agent.state': state }, agent);
  }

  agentLeaves(): void {
    const agent = this.#agent();
    this.remoteParticipants.delete(agent.identity);
    this.#emit(RoomEvent.ParticipantDisconnected, agent);
  }

  dropConnection(): void {
    this.state = ConnectionState.Disconnected;
    this.#emit(RoomEvent.Disconnected, DisconnectReason.SIGNAL_CLOSE);
  }

  /** Sends a transcript stream as LiveKit Agents does: the visitor's lines name their track. */
  async transcribe(line: StandInLine): Promise<void> {
    const handler = this.#textHandlers.get('lk.transcription');
    if (!handler) throw new Error('the widget listens to no lk.transcription streams');
    this.#streams += 1;
    const id = `stream-${this.#streams}`;
    const attributes: Record<string, string> = {
      'lk.segment_id': line.segmentId ?? `segment-${this.#streams}`,
      'lk.transcription_final': String(line.final ?? false),
    };
    if (line.role === 'user') {
      const [microphone] = this.localParticipant.trackPublications.keys();
      if (microphone === undefined) throw new Error('the visitor published no microphone');
      attributes['lk.transcribed_track_id'] = microphone;
    }
    const chunks = line.chunks ?? [line.text];
    let done: () => void = () => undefined;
    const readOut = new Promise<void>((resolve) => (done = resolve));
    const reader: StandInStreamReader = {
      info: { id, topic: 'lk.transcription', timestamp: Date.now(), attributes },
      async *[Symbol.asyncIterator]() {
        try {
          for (const chunk of chunks) {
            await Promise.resolve();
            yield chunk;
          }
        } finally {
          done();
        }
      },
    };
    handler(reader, { identity: AGENT_IDENTITY });
    await readOut;
  }

  #agent(): StandInParticipant {
    const agent = this.remoteParticipants.get(AGENT_IDENTITY);
    if (!agent) throw new Error('the stand-in agent is not in the room');
    return agent;
  }

  #emit(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      (listener as (...values: unknown[]) => void)(...args);
    }
  }
}

function newestRoom(): StandInRoom {
  const room = StandInRoom.newest;
  if (!room) throw new Error('the widget has not created a room yet');
  return room;
}

const controls: StandInControls = {
  get joinedRooms() {
    return StandInRoom.joinedRooms;
  },
  get joinedWith() {
    return StandInRoom.newest?.joinedWith;
  },
  get publishedTracks() {
    return StandInRoom.newest?.localParticipant.trackPublications.size ?? 0;
  },
  get sentTexts() {
    return StandInRoom.sentTexts;
  },
  agentJoins: (state) => newestRoom().agentJoins(state),
  setAgentState: (state) => newestRoom().setAgentState(state),
  agentLeaves: () => newestRoom().agentLeaves(),
  transcribe: (line) => newestRoom().transcribe(line),
  dropConnection: () => newestRoom().dropConnection(),
  blockAudioPlayback: () => newestRoom().blockAudioPlayback(),
};
window.parleyStandIn = controls;
