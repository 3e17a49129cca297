import {
  ConnectionState,
  DisconnectReason,
  Room,
  RoomEvent,
  Track,
  type LocalAudioTrack,
  type LocalTrackPublication,
  type Participant,
  type RemoteTrack,
  type TextStreamReader,
} from 'livekit-client';
import type { ConsentAcceptance, CreateSessionRequest } from '@parley/contracts';
import type { EndReason } from './events/parley-ended-event.js';
import { openMicrophone } from './microphone.js';
import { requestPhoneLeg } from './phone-handoff.js';
import { listenToRoom } from './room-listeners.js';
import { SessionError } from './session-error.js';
import { requestSession } from './session-request.js';
import { parseAgentState, type AgentState, type SessionEvent } from './session-state.js';
import {
  TRANSCRIPTION_TOPIC,
  TranscriptAssembler,
  readStreamHeader,
  type TranscriptSegment,
} from './transcript-assembler.js';

const AGENT_STATE_ATTRIBUTE = 'lk.agent.state';
/**
 * Set by the server on the SIP legs it dials (`LEG_ATTRIBUTE` in the contracts, whose zod schemas
 * this bundle must not import); `continue-on-phone` is the visitor's own phone.
 */
const LEG_ATTRIBUTE = 'parley.leg';
/** livekit-sip's progress of a SIP participant: `dialing`, `ringing`, `active`, `hangup`. */
const SIP_STATUS_ATTRIBUTE = 'sip.callStatus';
/** LiveKit Agents reads typed visitor input from text streams on this topic. */
export const CHAT_TOPIC = 'lk.chat';

export type Variables = NonNullable<CreateSessionRequest['variables']>;

export interface CallOptions {
  persona: string;
  /** Base URL of the Parley server; empty means the page's own origin. */
  server: string;
  /** Sent to the server with the session request; the agent sees them in its job metadata. */
  variables: Variables;
  /** No microphone: the visitor types, the agent answers in the transcript. */
  textOnly: boolean;
  /** The microphone is published muted. */
  startMuted: boolean;
  /** The microphone is muted except while the visitor holds the talk button. */
  pushToTalk: boolean;
  /** How long to wait for the agent once the room is joined. */
  agentTimeoutMs: number;
  /** How long to wait for `POST /v1/sessions`. */
  sessionRequestTimeoutMs: number;
  /** The visitor's acceptance, when the persona asks for consent. */
  consent?: ConsentAcceptance | undefined;
}

/** What a call reports to the session controller. */
export interface CallEvents {
  dispatch(event: SessionEvent): void;
  transcript(segment: TranscriptSegment): void;
  /** The call broke; the controller closes it. */
  fail(error: SessionError): void;
  /** The far side ended the call; the controller closes it. */
  hangUp(reason: EndReason): void;
  /** Something the panel shows changed (audio elements, levels, playback). */
  changed(): void;
  /** The visitor's phone leg answered (`active`), or hung up or left before that (`gone`). */
  phoneLeg(status: 'active' | 'gone'): void;
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

/** Speaker levels, 0–1, from LiveKit's active-speaker updates. */
export interface AudioLevels {
  readonly visitor: number;
  readonly agent: number;
}

export const SILENT: AudioLevels = { visitor: 0, agent: 0 };

/**
 * One call: its microphone, LiveKit room, transcript and agent. A new call gets a new object, so
 * callbacks still in flight from an earlier call are told apart by identity (and `closed`).
 */
export class Call {
  readonly room = new Room({
    // audio only: nothing to adapt or simulcast
    adaptiveStream: false,
    dynacast: false,
  });
  readonly transcript = new TranscriptAssembler();
  readonly #abort = new AbortController();
  readonly #unsubscribe: Array<() => void> = [];
  #microphone: LocalAudioTrack | undefined;
  #agent: Participant | undefined;
  #agentJoinTimer: ReturnType<typeof setTimeout> | undefined;
  audioElements: readonly HTMLMediaElement[] = [];
  audioBlocked = false;
  levels: AudioLevels = SILENT;
  /** Set once the room is joined; a joined call ends with `parley-ended`. */
  joined: { roomName: string; identity: string; at: number; token: string } | undefined;
  closed = false;

  constructor(
    readonly options: CallOptions,
    readonly muted: { value: boolean },
    readonly events: CallEvents,
  ) {
    this.#unsubscribe.push(
      listenToRoom(this.room, {
        trackSubscribed: (track) => this.#addAudio(track),
        trackUnsubscribed: (track) => {
          const detached = new Set(track.detach());
          this.audioElements = this.audioElements.filter((element) => !detached.has(element));
          events.changed();
        },
        agentChanged: (agent) => this.#onAgent(agent),
        otherChanged: (participant, left) => {
          if (participant.attributes[LEG_ATTRIBUTE] !== 'continue-on-phone') return;
          const status = participant.attributes[SIP_STATUS_ATTRIBUTE];
          if (!left && status === 'active') events.phoneLeg('active');
          else if (left || status === 'hangup') events.phoneLeg('gone');
        },
        // the last agent leaving is the agent hanging up, except in a full reconnect (a
        // restarted LiveKit server): the room drops every participant first, then turns
        // `reconnecting`, and the agent may rejoin the new session
        agentLeft: () =>
          queueMicrotask(() => {
            if (!this.joined || this.closed) return;
            const remaining = [...this.room.remoteParticipants.values()].find((p) => p.isAgent);
            this.#agent = undefined;
            if (remaining) this.#onAgent(remaining);
            else if (this.room.state === ConnectionState.Connected) events.hangUp('agent');
          }),
        disconnected: (reason) => {
          // before joining, a failed join is reported by open() itself
          if (!this.joined || this.closed) return;
          if (reason !== undefined && NORMAL_DISCONNECTS.has(reason)) events.hangUp('agent');
          else events.fail(new SessionError('connection_lost', 'The room connection dropped.'));
        },
        reconnecting: () => events.dispatch({ type: 'reconnecting' }),
        reconnected: () => {
          events.dispatch({ type: 'reconnected', agentState: this.agentState });
          // back without the agent: wait for it to rejoin as at the start, for as long
          if (!this.#agent) this.awaitAgent();
        },
        audioPlaybackChanged: () => {
          if (options.textOnly) return;
          this.audioBlocked = !this.room.canPlaybackAudio;
          events.changed();
        },
        levelsChanged: () => {
          this.levels = {
            visitor: muted.value ? 0 : this.room.localParticipant.audioLevel,
            agent: this.#agent?.audioLevel ?? 0,
          };
          events.changed();
        },
      }),
    );
    // registered before connecting so the greeting's transcript is not missed
    this.room.registerTextStreamHandler(TRANSCRIPTION_TOPIC, (reader, { identity }) => {
      void this.#readTranscript(reader, identity);
    });
    this.#unsubscribe.push(() => this.room.unregisterTextStreamHandler(TRANSCRIPTION_TOPIC));
  }

  get microphone(): LocalAudioTrack | undefined {
    return this.#microphone;
  }

  get agentState(): AgentState | undefined {
    return parseAgentState(this.#agent?.attributes[AGENT_STATE_ATTRIBUTE]);
  }

  /**
   * Opens the microphone (the permission prompt comes before the session, so a refusal costs no
   * room), asks for a session and joins. Returns `false` when the call was closed meanwhile;
   * rejects with a {@link SessionError}.
   */
  async open(): Promise<boolean> {
    const { options } = this;
    if (!options.textOnly) {
      const microphone = await openMicrophone();
      if (this.closed) {
        microphone.stop();
        return false;
      }
      this.#microphone = microphone;
      if (this.muted.value) await microphone.mute();
      // records what the visitor says until the agent listens; LiveKit sends it to the agent on
      // topic `lk.agent.pre-connect-audio-buffer` (the public `setMicrophoneEnabled` route to the
      // same would open the microphone only once the room is joined)
      else microphone.startPreConnectBuffer();
      this.events.dispatch({ type: 'microphone-ready' });
    }

    const request: CreateSessionRequest = { persona: options.persona, consent: options.consent };
    if (Object.keys(options.variables).length > 0) request.variables = options.variables;
    const session = await requestSession(request, {
      server: options.server,
      signal: this.#abort.signal,
      timeoutMs: options.sessionRequestTimeoutMs,
    });
    if (this.closed) return false;
    try {
      // even a text-only call subscribes to the agent's audio (and does not play it): LiveKit
      // Agents holds its speech, and the transcript paced by it, until someone subscribes
      await this.room.connect(session.serverUrl, session.token);
      if (this.#microphone) await this.#publishMicrophone(this.#microphone);
    } catch (cause) {
      throw new SessionError('connection_failed', 'Joining the LiveKit room failed.', { cause });
    }
    if (this.closed) return false;
    this.joined = {
      roomName: session.roomName,
      identity: session.identity,
      at: Date.now(),
      token: session.token,
    };
    if (!options.textOnly) void this.unlockAudio();
    return true;
  }

  /**
   * Publishes the microphone. livekit-client ends the pre-connect recording, so the buffer it
   * sends the agent, when the agent subscribes, but it only listens for that once the track is
   * negotiated: an agent already in the room (a standby room's) can subscribe sooner, and the
   * recording would then run on for seconds. Such an early subscription ends it here instead.
   */
  async #publishMicrophone(microphone: LocalAudioTrack): Promise<void> {
    let subscribed = false;
    const onSubscribed = (publication: LocalTrackPublication) => {
      subscribed ||= publication.track === microphone;
    };
    this.room.on(RoomEvent.LocalTrackSubscribed, onSubscribed);
    try {
      await this.room.localParticipant.publishTrack(microphone);
    } finally {
      this.room.off(RoomEvent.LocalTrackSubscribed, onSubscribed);
    }
    if (subscribed) microphone.stopPreConnectBuffer();
  }

  /** Starts the agent-join timeout, unless the agent is already in the room. */
  awaitAgent(): void {
    const agent = [...this.room.remoteParticipants.values()].find((p) => p.isAgent);
    if (agent) {
      this.#onAgent(agent);
      return;
    }
    this.#agentJoinTimer = setTimeout(() => {
      this.events.fail(new SessionError('agent_unavailable', 'No agent joined the room in time.'));
    }, this.options.agentTimeoutMs);
  }

  /** Asks the server to dial the visitor's phone into this call's room. */
  async dialPhone(to: string): Promise<void> {
    await requestPhoneLeg(to, {
      server: this.options.server,
      token: this.joined?.token,
      signal: this.#abort.signal,
      timeoutMs: this.options.sessionRequestTimeoutMs,
    });
  }

  async sendText(text: string): Promise<TranscriptSegment | undefined> {
    const info = await this.room.localParticipant.sendText(text, { topic: CHAT_TOPIC });
    return this.transcript.add(info.id, 'user', text);
  }

  async unlockAudio(): Promise<void> {
    try {
      await this.room.startAudio();
    } catch {
      // the browser wants a fresh user gesture: the element offers a button for it
    }
    if (this.closed) return;
    this.audioBlocked = !this.room.canPlaybackAudio;
    this.events.changed();
  }

  /** Releases everything but the room connection, which {@link leave} ends (it is async). */
  close(): void {
    this.closed = true;
    this.#abort.abort();
    clearTimeout(this.#agentJoinTimer);
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#microphone?.stop();
    for (const element of this.audioElements) {
      element.pause();
      element.srcObject = null;
    }
    this.audioElements = [];
    this.audioBlocked = false;
    this.levels = SILENT;
  }

  leave(): Promise<void> {
    return this.room.disconnect();
  }

  #addAudio(track: RemoteTrack): void {
    if (track.kind !== Track.Kind.Audio || this.closed || this.options.textOnly) return;
    this.audioElements = [...this.audioElements, track.attach()];
    this.events.changed();
  }

  #onAgent(agent: Participant): void {
    if (this.closed) return;
    // one agent speaks for the call; another one (a second dispatch into a room re-created by a
    // LiveKit restart) is only followed once the first has left
    const current = this.#agent;
    if (
      current &&
      current.identity !== agent.identity &&
      this.room.getParticipantByIdentity(current.identity)
    )
      return;
    clearTimeout(this.#agentJoinTimer);
    this.#agent = agent;
    const state = this.agentState;
    if (state) this.events.dispatch({ type: 'agent-state', agentState: state });
  }

  async #readTranscript(reader: TextStreamReader, identity: string): Promise<void> {
    const local = this.room.localParticipant;
    const header = readStreamHeader(reader.info, identity, {
      identity: local.identity,
      trackSids: new Set(local.trackPublications.keys()),
    });
    this.transcript.open(header);
    try {
      for await (const chunk of reader) {
        this.#publish(this.transcript.append(header.streamId, chunk));
      }
    } catch (error) {
      // streams are cut off by every hang-up; only a break during the call is worth a word
      if (!this.closed) console.warn('[parley] a transcript stream broke off', error);
    }
    // a stream cut short still ends its segment with what arrived
    this.#publish(this.transcript.close(header.streamId));
  }

  #publish(segment: TranscriptSegment | undefined): void {
    if (segment) this.events.transcript(segment);
  }
}
