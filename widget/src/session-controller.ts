import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  DisconnectReason,
  Room,
  RoomEvent,
  Track,
  type LocalAudioTrack,
  type Participant,
  type RemoteTrack,
  type TextStreamReader,
} from 'livekit-client';
import { SessionError, type ParleyErrorDetail } from './session-error.js';
import { openMicrophone } from './microphone.js';
import { requestSession } from './session-request.js';
import {
  isActive,
  parseAgentState,
  transition,
  type SessionEvent,
  type SessionState,
} from './session-state.js';
import {
  TRANSCRIPTION_TOPIC,
  TranscriptAssembler,
  readStreamHeader,
  type LocalParticipantView,
  type TranscriptSegment,
} from './transcript-assembler.js';

const AGENT_STATE_ATTRIBUTE = 'lk.agent.state';

export interface SessionControllerOptions {
  onStateChange: (state: SessionState) => void;
  onTranscript: (segment: TranscriptSegment) => void;
  onError: (error: ParleyErrorDetail) => void;
  /** How long to wait for the agent to join once the room is joined. */
  agentJoinTimeoutMs: number;
  /** How long to wait for `POST /v1/sessions`. */
  sessionRequestTimeoutMs: number;
}

const defaultOptions: SessionControllerOptions = {
  onStateChange: () => undefined,
  onTranscript: () => undefined,
  onError: () => undefined,
  agentJoinTimeoutMs: 30_000,
  sessionRequestTimeoutMs: 15_000,
};

export interface StartOptions {
  persona: string;
  /** Base URL of the Parley server; empty means the page's own origin. */
  server: string;
}

/** Remote hang-ups that end a call normally; any other disconnect is a lost connection. */
const NORMAL_DISCONNECTS: ReadonlySet<DisconnectReason> = new Set([
  DisconnectReason.CLIENT_INITIATED,
  DisconnectReason.ROOM_DELETED,
  DisconnectReason.ROOM_CLOSED,
  DisconnectReason.PARTICIPANT_REMOVED,
  DisconnectReason.USER_REJECTED,
  DisconnectReason.USER_UNAVAILABLE,
]);

/**
 * Everything one call holds. A new call gets a new object, so callbacks still in flight from an
 * earlier call recognise themselves as stale (`closed`, or no longer `#call`).
 */
interface Call {
  readonly room: Room;
  readonly abort: AbortController;
  readonly transcript: TranscriptAssembler;
  readonly unsubscribe: Array<() => void>;
  microphone?: LocalAudioTrack;
  agentJoinTimer?: ReturnType<typeof setTimeout>;
  closed: boolean;
}

/**
 * The transport layer of `<parley-voice>`: owns the LiveKit `Room` of the current call, drives the
 * session state machine, and exposes plain data (state, error, transcript, audio elements) for the
 * element to render. A call is hung up when the host element leaves the page.
 */
export class SessionController implements ReactiveController {
  #state: SessionState = 'idle';
  #error: ParleyErrorDetail | undefined;
  #transcript: readonly TranscriptSegment[] = [];
  #audioElements: readonly HTMLMediaElement[] = [];
  #audioBlocked = false;
  #call: Call | undefined;
  readonly #host: ReactiveControllerHost;
  readonly #options: SessionControllerOptions;

  constructor(host: ReactiveControllerHost, options: Partial<SessionControllerOptions> = {}) {
    this.#host = host;
    this.#options = { ...defaultOptions, ...options };
    host.addController(this);
  }

  get state(): SessionState {
    return this.#state;
  }

  /** Why the last call failed; set while `state` is `error`. */
  get error(): ParleyErrorDetail | undefined {
    return this.#error;
  }

  /** The current (or last) call's transcript, oldest segment first. */
  get transcript(): readonly TranscriptSegment[] {
    return this.#transcript;
  }

  /** `<audio>` elements playing the agent; the host renders them so they live in the page. */
  get audioElements(): readonly HTMLMediaElement[] {
    return this.#audioElements;
  }

  /** The browser blocked playback; a user gesture must call {@link resumeAudio}. */
  get audioBlocked(): boolean {
    return this.#audioBlocked;
  }

  hostConnected(): void {
    // nothing to do until start(): connecting costs the visitor a permission prompt
  }

  hostDisconnected(): void {
    void this.end();
  }

  /**
   * Asks for the microphone, then for a session, joins the room and waits for the agent. Resolves
   * once the call is waiting for the agent, or has failed (`state` is then `error`); never rejects.
   * Call it from a user gesture so audio may play.
   */
  async start({ persona, server }: StartOptions): Promise<void> {
    if (isActive(this.#state)) return;
    const call = this.#createCall();
    this.#call = call;
    this.#error = undefined;
    this.#transcript = [];
    this.#dispatch({ type: 'start' });
    try {
      const microphone = await openMicrophone();
      if (call.closed) {
        microphone.stop();
        return;
      }
      call.microphone = microphone;
      this.#dispatch({ type: 'microphone-ready' });

      const session = await requestSession(
        { persona },
        { server, signal: call.abort.signal, timeoutMs: this.#options.sessionRequestTimeoutMs },
      );
      if (call.closed) return;
      await joinRoom(call.room, session.serverUrl, session.token, microphone);
      if (call.closed) return;
      void this.#unlockAudio(call);
      this.#dispatch({ type: 'connected' });
      this.#awaitAgent(call);
    } catch (error) {
      this.#fail(call, toSessionError(error));
    }
  }

  /** Hangs up. Resolves once the room is left. */
  async end(): Promise<void> {
    const call = this.#call;
    if (!call || call.closed) return;
    this.#close(call);
    this.#dispatch({ type: 'end' });
    await call.room.disconnect();
  }

  /** Retries audio playback; call it from a user gesture when {@link audioBlocked} is set. */
  async resumeAudio(): Promise<void> {
    const call = this.#call;
    if (call && !call.closed) await this.#unlockAudio(call);
  }

  #createCall(): Call {
    const room = new Room({
      // audio only: nothing to adapt or simulcast
      adaptiveStream: false,
      dynacast: false,
    });
    const call: Call = {
      room,
      abort: new AbortController(),
      transcript: new TranscriptAssembler(),
      unsubscribe: [],
      closed: false,
    };

    const onTrackSubscribed = (track: RemoteTrack): void => {
      if (track.kind !== Track.Kind.Audio || call.closed) return;
      this.#audioElements = [...this.#audioElements, track.attach()];
      this.#host.requestUpdate();
    };
    const onTrackUnsubscribed = (track: RemoteTrack): void => {
      const detached = new Set(track.detach());
      this.#audioElements = this.#audioElements.filter((element) => !detached.has(element));
      this.#host.requestUpdate();
    };
    const onAttributesChanged = (_changed: Record<string, string>, participant: Participant) => {
      if (participant.isAgent) this.#onAgent(call, participant);
    };
    const onParticipantConnected = (participant: Participant): void => {
      if (participant.isAgent) this.#onAgent(call, participant);
    };
    const onParticipantDisconnected = (participant: Participant): void => {
      // the agent leaving is the agent hanging up
      if (participant.isAgent && this.#hasJoined()) this.#hangUp(call);
    };
    const onDisconnected = (reason?: DisconnectReason): void => {
      // before `connected`, a failed join is reported by start() itself
      if (!this.#hasJoined() || call.closed) return;
      if (reason !== undefined && NORMAL_DISCONNECTS.has(reason)) {
        this.#hangUp(call);
      } else {
        this.#fail(
          call,
          new SessionError('connection_lost', 'The connection to the voice assistant was lost.'),
        );
      }
    };
    const onAudioPlaybackChanged = (): void => {
      this.#audioBlocked = !room.canPlaybackAudio;
      this.#host.requestUpdate();
    };

    room
      .on(RoomEvent.TrackSubscribed, onTrackSubscribed)
      .on(RoomEvent.TrackUnsubscribed, onTrackUnsubscribed)
      .on(RoomEvent.ParticipantAttributesChanged, onAttributesChanged)
      .on(RoomEvent.ParticipantConnected, onParticipantConnected)
      .on(RoomEvent.ParticipantDisconnected, onParticipantDisconnected)
      .on(RoomEvent.Disconnected, onDisconnected)
      .on(RoomEvent.AudioPlaybackStatusChanged, onAudioPlaybackChanged);
    call.unsubscribe.push(() => {
      room
        .off(RoomEvent.TrackSubscribed, onTrackSubscribed)
        .off(RoomEvent.TrackUnsubscribed, onTrackUnsubscribed)
        .off(RoomEvent.ParticipantAttributesChanged, onAttributesChanged)
        .off(RoomEvent.ParticipantConnected, onParticipantConnected)
        .off(RoomEvent.ParticipantDisconnected, onParticipantDisconnected)
        .off(RoomEvent.Disconnected, onDisconnected)
        .off(RoomEvent.AudioPlaybackStatusChanged, onAudioPlaybackChanged);
    });

    // registered before connecting so the greeting's transcript is not missed
    room.registerTextStreamHandler(TRANSCRIPTION_TOPIC, (reader, { identity }) => {
      void this.#readTranscript(call, reader, identity);
    });
    call.unsubscribe.push(() => room.unregisterTextStreamHandler(TRANSCRIPTION_TOPIC));
    return call;
  }

  /** The room is joined: from `waiting-for-agent` on. */
  #hasJoined(): boolean {
    return this.#state !== 'requesting-microphone' && this.#state !== 'connecting';
  }

  #awaitAgent(call: Call): void {
    const agent = [...call.room.remoteParticipants.values()].find((p) => p.isAgent);
    if (agent) {
      this.#onAgent(call, agent);
      return;
    }
    call.agentJoinTimer = setTimeout(() => {
      this.#fail(
        call,
        new SessionError(
          'agent_unavailable',
          'The voice assistant did not answer. Please try again in a moment.',
        ),
      );
    }, this.#options.agentJoinTimeoutMs);
  }

  #onAgent(call: Call, agent: Participant): void {
    if (call.closed) return;
    clearTimeout(call.agentJoinTimer);
    const agentState = parseAgentState(agent.attributes[AGENT_STATE_ATTRIBUTE]);
    if (agentState) this.#dispatch({ type: 'agent-state', agentState });
  }

  async #readTranscript(call: Call, reader: TextStreamReader, identity: string): Promise<void> {
    const header = readStreamHeader(reader.info, identity, localView(call.room));
    call.transcript.open(header);
    try {
      for await (const chunk of reader) {
        this.#publishTranscript(call, call.transcript.append(header.streamId, chunk));
      }
    } catch (error) {
      // streams are cut off by every hang-up; only a break during the call is worth a word
      if (!call.closed) console.warn('[parley] a transcript stream broke off', error);
    }
    // a stream cut short still ends its segment with what arrived
    this.#publishTranscript(call, call.transcript.close(header.streamId));
  }

  #publishTranscript(call: Call, segment: TranscriptSegment | undefined): void {
    if (!segment || call !== this.#call) return;
    this.#transcript = call.transcript.segments;
    this.#host.requestUpdate();
    this.#options.onTranscript(segment);
  }

  async #unlockAudio(call: Call): Promise<void> {
    try {
      await call.room.startAudio();
    } catch {
      // the browser wants a fresh user gesture: the element offers a button for it
    }
    if (call.closed) return;
    this.#audioBlocked = !call.room.canPlaybackAudio;
    this.#host.requestUpdate();
  }

  /** The far side ended the call. */
  #hangUp(call: Call): void {
    if (call.closed) return;
    this.#close(call);
    this.#dispatch({ type: 'end' });
    void call.room.disconnect().catch(reportTeardownError);
  }

  #fail(call: Call, error: SessionError): void {
    if (call.closed || call !== this.#call) return;
    this.#error = error.toDetail();
    this.#close(call);
    this.#dispatch({ type: 'fail' });
    this.#options.onError(this.#error);
    void call.room.disconnect().catch(reportTeardownError);
  }

  /** Releases everything but the room connection, which the caller leaves (it is async). */
  #close(call: Call): void {
    call.closed = true;
    call.abort.abort();
    clearTimeout(call.agentJoinTimer);
    for (const unsubscribe of call.unsubscribe) unsubscribe();
    call.microphone?.stop();
    for (const element of this.#audioElements) {
      element.pause();
      element.srcObject = null;
    }
    this.#audioElements = [];
    this.#audioBlocked = false;
  }

  #dispatch(event: SessionEvent): void {
    const next = transition(this.#state, event);
    if (next === this.#state) return;
    this.#state = next;
    this.#host.requestUpdate();
    this.#options.onStateChange(next);
  }
}

/** Joins, then publishes the microphone opened earlier (so permission came before the session). */
async function joinRoom(
  room: Room,
  serverUrl: string,
  token: string,
  microphone: LocalAudioTrack,
): Promise<void> {
  try {
    await room.connect(serverUrl, token);
    await room.localParticipant.publishTrack(microphone);
  } catch (cause) {
    throw new SessionError(
      'connection_failed',
      'Could not connect to the voice assistant. Please try again later.',
      { cause },
    );
  }
}

function localView(room: Room): LocalParticipantView {
  return {
    identity: room.localParticipant.identity,
    trackSids: new Set(room.localParticipant.trackPublications.keys()),
  };
}

function toSessionError(error: unknown): SessionError {
  return error instanceof SessionError
    ? error
    : new SessionError('internal', 'Something went wrong starting the call.', { cause: error });
}

function reportTeardownError(error: unknown): void {
  // nothing the visitor can do about it, but a developer should see it
  console.warn('[parley] leaving the room failed', error);
}
