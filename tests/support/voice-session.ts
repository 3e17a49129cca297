/**
 * One visitor's call, turn by turn, with the latencies a caller would feel: opens a web session,
 * joins its room headless (see headless-visitor.ts), waits for the greeting, speaks utterances
 * and times the agent's audible replies. For load runs and benchmarks.
 */
import path from 'node:path';
import {
  DisconnectReason,
  ParticipantKind,
  RoomEvent,
  type Participant,
  type RemoteParticipant,
} from '@livekit/rtc-node';
import { openSession } from './calls.js';
import { HeadlessVisitor, SOUND_RMS } from './headless-visitor.js';
import { padWithSilence, rms, synthesize, type Pcm } from './wav.js';

export interface TurnSample {
  /** What was spoken (the {@link Utterance}'s text; empty for bare PCM). */
  utterance: string;
  /** `performance.now()` when the last speech sample was sent. */
  speechEndAt: number;
  /** `performance.now()` of the first agent audio frame louder than silence after it. */
  firstReplyAt?: number;
  /** `firstReplyAt - speechEndAt`: voice-to-voice latency. */
  v2vMs?: number;
  /** The agent's transcript segments begun during the turn, as far as they had arrived. */
  replyText: string;
}

/** Speech with its text, e.g. from {@link UtteranceBank}. */
export interface Utterance extends Pcm {
  text: string;
}

export interface VoiceSessionOptions {
  /** Sample rate of the PCM this visitor will speak (Flite's is 16 kHz). */
  sampleRate: number;
}

export type VoiceSessionErrorCode = 'greeting_timeout' | 'reply_timeout' | 'call_dropped';

export class VoiceSessionError extends Error {
  override readonly name = 'VoiceSessionError';
  constructor(
    readonly code: VoiceSessionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULTS: VoiceSessionOptions = { sampleRate: 16_000 };
const FRAME_MS = 10;
/** Agent silence after which a reply counts as played out when the agent state did not say so. */
const QUIET_MS = 600;
const POLL_MS = 50;
/** The agent's VAD ends a turn on silence it hears, so a turn always ends with at least this much. */
const MIN_TRAILING_SILENCE_S = 1;
const AGENT_STATE = 'lk.agent.state';

/**
 * Index just after the last 10 ms frame louder than silence: where the speech of `pcm` ends and
 * its trailing padding begins (0 for silence only).
 */
export function speechEnd(pcm: Pcm): number {
  const perFrame = (pcm.sampleRate * FRAME_MS) / 1000;
  for (let start = Math.floor((pcm.samples.length - 1) / perFrame) * perFrame; start >= 0;) {
    const end = Math.min(start + perFrame, pcm.samples.length);
    if (rms(pcm.samples.subarray(start, end)) > SOUND_RMS) return end;
    start -= perFrame;
  }
  return 0;
}

/** Flite speech of texts, padded with silence and cached per text, in `dir`. */
export class UtteranceBank {
  private readonly cache = new Map<string, Promise<Utterance>>();

  constructor(
    private readonly dir: string,
    private readonly padding = { before: 0.3, after: 1.5 },
  ) {}

  get(text: string): Promise<Utterance> {
    let utterance = this.cache.get(text);
    if (!utterance) {
      const file = path.join(this.dir, `utterance-${this.cache.size}.wav`);
      utterance = synthesize(text, file).then((pcm) => ({
        ...padWithSilence(pcm, this.padding.before, this.padding.after),
        text,
      }));
      this.cache.set(text, utterance);
    }
    return utterance;
  }
}

/** One visitor's voice call with the agent. */
export class VoiceSession {
  /** Milliseconds from `open()` to the first agent audio (set by `waitForGreeting`). */
  greetingMs?: number;
  /**
   * Milliseconds from joining the room to the first agent audio (set by `waitForGreeting`):
   * joining creates the room, and LiveKit dispatches the agent once the visitor is connected
   * (about 0.2 s later on loopback), so this is a little more than dispatch to greeting heard.
   */
  greetingAfterJoinMs?: number;
  /** When the visitor had joined the room. */
  private joinedAt?: number;
  /** Why the call ended before `close()`: the agent left, or the room went away. */
  droppedReason?: string;
  /** When the agent state last became `speaking`. */
  private lastSpeakingAt = -Infinity;
  private closing: Promise<void> | undefined;

  private constructor(
    readonly visitor: HeadlessVisitor,
    readonly roomName: string,
    private readonly openedAt: number,
  ) {}

  /** Opens a web session for `personaRef` (an id or `tenant/persona`) and joins its room. */
  static async open(
    stack: { url: string },
    personaRef: string,
    options: Partial<VoiceSessionOptions> = {},
  ): Promise<VoiceSession> {
    const { sampleRate } = { ...DEFAULTS, ...options };
    const openedAt = performance.now();
    const session = await openSession(stack, personaRef);
    const call = new VoiceSession(new HeadlessVisitor(), session.roomName, openedAt);
    call.watch();
    try {
      await call.visitor.join(session);
      call.joinedAt = performance.now();
      await call.visitor.publishMicrophone(sampleRate);
    } catch (error) {
      await call.close();
      throw error;
    }
    return call;
  }

  /** Resolves once the greeting has been heard and has played out (the agent listens again). */
  async waitForGreeting(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    await this.until(
      () => this.visitor.firstAgentSoundAt !== undefined,
      deadline,
      'greeting_timeout',
      'the greeting',
    );
    const heardAt = this.visitor.firstAgentSoundAt as number;
    this.greetingMs = heardAt - this.openedAt;
    this.greetingAfterJoinMs = heardAt - (this.joinedAt ?? this.openedAt);
    await this.until(
      () => this.playedOut(this.openedAt),
      deadline,
      'greeting_timeout',
      'the greeting to finish',
    );
  }

  /**
   * Speaks `pcm` (speech, usually padded with silence), then waits for the agent's reply to
   * start and to play out, each within `replyTimeoutMs`. The speech ends at its last frame
   * louder than silence: the padding after it is sent after `speechEndAt` is taken.
   */
  async turn(
    pcm: Pcm | Utterance,
    { replyTimeoutMs = 30_000 }: { replyTimeoutMs?: number } = {},
  ): Promise<TurnSample> {
    this.assertInCall();
    const utterance = 'text' in pcm ? pcm.text : '';
    const agentSegmentsBefore = new Set(this.visitor.segments.keys());
    const end = speechEnd(pcm);
    const minTail = Math.round(MIN_TRAILING_SILENCE_S * pcm.sampleRate);
    const tail = new Int16Array(Math.max(pcm.samples.length - end, minTail));
    tail.set(pcm.samples.subarray(end));

    await this.visitor.speak({ sampleRate: pcm.sampleRate, samples: pcm.samples.subarray(0, end) });
    const speechEndAt = performance.now();
    let firstReplyAt: number | undefined;
    // Watched from the end of speech on: the reply may begin while the padding is still sent.
    const replied = this.visitor.waitUntil(
      `a reply to "${utterance}"`,
      () => {
        const heard = this.visitor.lastAgentSoundAt ?? -Infinity;
        // Checked on every loud frame as it arrives, so the first match is the reply's onset.
        if (heard > speechEndAt) firstReplyAt ??= heard;
        return firstReplyAt !== undefined || this.droppedReason !== undefined;
      },
      replyTimeoutMs,
    );
    replied.catch(() => undefined); // awaited below, after the padding
    await this.visitor.speak({ sampleRate: pcm.sampleRate, samples: tail });
    await replied.catch((error: unknown) => {
      throw new VoiceSessionError('reply_timeout', String((error as Error).message));
    });
    this.assertInCall();
    const replySegments = () =>
      [...this.visitor.segments.values()].filter(
        (s) => s.role === 'agent' && !agentSegmentsBefore.has(s.segmentId),
      );
    // Played out, and its transcript complete: the transcript's text stream may still be
    // arriving when the agent's state says it is listening again.
    await this.until(
      () => this.playedOut(speechEndAt) && replySegments().every((s) => s.final),
      performance.now() + replyTimeoutMs,
      'reply_timeout',
      `the reply to "${utterance}" to finish`,
    );
    const replyText = replySegments()
      .map((s) => s.text)
      .join(' ');
    return {
      utterance,
      speechEndAt,
      firstReplyAt,
      v2vMs: firstReplyAt === undefined ? undefined : firstReplyAt - speechEndAt,
      replyText,
    };
  }

  /** Hangs up (leaves the room). Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.visitor.leave();
    return this.closing;
  }

  /** Agent state changes and departures, for `playedOut` and `droppedReason`. */
  private watch(): void {
    const room = this.visitor.room;
    room.on(RoomEvent.ParticipantAttributesChanged, (_changed, participant: Participant) => {
      if (participant.attributes[AGENT_STATE] === 'speaking') {
        this.lastSpeakingAt = performance.now();
      }
    });
    room.on(RoomEvent.ParticipantDisconnected, (participant: RemoteParticipant) => {
      if (participant.kind === ParticipantKind.AGENT) this.drop('the agent left the room');
    });
    room.on(RoomEvent.Disconnected, (reason) =>
      this.drop(`the room ended (${DisconnectReason[reason] ?? reason})`),
    );
  }

  private drop(reason: string): void {
    if (!this.closing) this.droppedReason ??= reason;
  }

  /**
   * The agent's speech that began after `since` has played out: the agent state went to
   * `speaking` and back to `listening`, or — should the state lag behind the audio — the agent
   * is not marked as speaking and has been silent for {@link QUIET_MS}.
   */
  private playedOut(since: number): boolean {
    const state = this.visitor.agentState;
    if (this.lastSpeakingAt > since && state === 'listening') return true;
    const quietFor = performance.now() - (this.visitor.lastAgentSoundAt ?? Infinity);
    return state !== 'speaking' && quietFor >= QUIET_MS;
  }

  private assertInCall(): void {
    if (this.droppedReason) {
      throw new VoiceSessionError('call_dropped', `${this.roomName}: ${this.droppedReason}`);
    }
  }

  /** Polls `done` (silence has no event to wait on) until it holds, the call drops or `deadline`. */
  private async until(
    done: () => boolean,
    deadline: number,
    code: VoiceSessionErrorCode,
    what: string,
  ): Promise<void> {
    for (;;) {
      this.assertInCall();
      if (done()) return;
      if (performance.now() > deadline) {
        throw new VoiceSessionError(code, `${this.roomName}: timed out waiting for ${what}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
