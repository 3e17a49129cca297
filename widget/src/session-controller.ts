import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Call, SILENT, type AudioLevels, type CallOptions } from './call.js';
import { ClientTools, type ToolCallRecord } from './client-tools.js';
import type { ParleyConnectedDetail } from './events/parley-connected-event.js';
import type { EndReason, ParleyEndedDetail } from './events/parley-ended-event.js';
import { SessionError, type ParleyErrorDetail } from './session-error.js';
import {
  isActive,
  isJoined,
  transition,
  type SessionEvent,
  type SessionState,
} from './session-state.js';
import type { TranscriptSegment } from './transcript-assembler.js';

export type { AudioLevels, CallOptions };

export interface SessionControllerOptions {
  onStateChange: (state: SessionState) => void;
  onTranscript: (segment: TranscriptSegment) => void;
  onError: (error: ParleyErrorDetail) => void;
  onConnected: (detail: ParleyConnectedDetail) => void;
  onEnded: (detail: ParleyEndedDetail) => void;
  onToolCall: (record: ToolCallRecord) => void;
  /** Longest a client tool handler may run. */
  toolTimeoutMs: number;
}

const defaultOptions: SessionControllerOptions = {
  onStateChange: () => undefined,
  onTranscript: () => undefined,
  onError: () => undefined,
  onConnected: () => undefined,
  onEnded: () => undefined,
  onToolCall: () => undefined,
  toolTimeoutMs: 10_000,
};

/**
 * The transport layer of `<parley-voice>`: runs one {@link Call} at a time, drives the session
 * state machine, and exposes plain data (state, error, transcript, audio elements, levels) for the
 * element to render. A call is hung up when the host element leaves the page.
 */
export class SessionController implements ReactiveController {
  /** The page's client tools, exposed on every call's room. */
  readonly tools: ClientTools;
  #state: SessionState = 'idle';
  #error: ParleyErrorDetail | undefined;
  #transcript: readonly TranscriptSegment[] = [];
  /** Shared with the call, which reads it when it opens the microphone and reports levels. */
  readonly #muted = { value: false };
  #call: Call | undefined;
  readonly #host: ReactiveControllerHost;
  readonly #options: SessionControllerOptions;

  constructor(host: ReactiveControllerHost, options: Partial<SessionControllerOptions> = {}) {
    this.#host = host;
    this.#options = { ...defaultOptions, ...options };
    this.tools = new ClientTools({
      timeoutMs: this.#options.toolTimeoutMs,
      onCall: (record) => this.#options.onToolCall(record),
    });
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
    return this.#live?.audioElements ?? [];
  }

  /** The browser blocked playback; a user gesture must call {@link resumeAudio}. */
  get audioBlocked(): boolean {
    return this.#live?.audioBlocked ?? false;
  }

  /** The microphone is muted (with push-to-talk: the talk button is not held). */
  get muted(): boolean {
    return this.#muted.value;
  }

  get levels(): AudioLevels {
    return this.#live?.levels ?? SILENT;
  }

  /** The options of the current (or last) call. */
  get callOptions(): CallOptions | undefined {
    return this.#call?.options;
  }

  /** When the room was joined (`Date.now()`), while the call is on. */
  get joinedAt(): number | undefined {
    return this.#live?.joined?.at;
  }

  /** The call in progress, if any. */
  get #live(): Call | undefined {
    return this.#call && !this.#call.closed ? this.#call : undefined;
  }

  hostConnected(): void {
    // nothing to do until start(): connecting costs the visitor a permission prompt
  }

  hostDisconnected(): void {
    void this.end();
  }

  /**
   * Asks for the microphone (unless text-only), then for a session, joins the room and waits for
   * the agent. Resolves once the call is waiting for the agent, or has failed (`state` is then
   * `error`); never rejects. Call it from a user gesture so audio may play.
   */
  async start(options: CallOptions): Promise<void> {
    if (isActive(this.#state)) return;
    this.#muted.value = options.startMuted || options.pushToTalk;
    const call: Call = new Call(options, this.#muted, {
      dispatch: (event) => {
        if (this.#call === call && !call.closed) this.#dispatch(event);
      },
      transcript: (segment) => this.#publishTranscript(call, segment),
      fail: (error) => this.#fail(call, error),
      hangUp: (reason) => {
        if (this.#call !== call || call.closed) return;
        this.#finish(call, reason);
        void call.leave().catch(reportTeardownError);
      },
      changed: () => {
        if (this.#call === call) this.#host.requestUpdate();
      },
    });
    this.#call = call;
    this.#error = undefined;
    this.#transcript = [];
    this.#dispatch({ type: 'start', microphone: !options.textOnly });
    try {
      if (!(await call.open()) || !call.joined) return;
      this.tools.bind(call.room);
      this.#dispatch({ type: 'connected' });
      this.#options.onConnected({ roomName: call.joined.roomName, identity: call.joined.identity });
      call.awaitAgent();
    } catch (error) {
      this.#fail(call, toSessionError(error));
    }
  }

  /** Hangs up. Resolves once the room is left. */
  async end(): Promise<void> {
    const call = this.#live;
    if (!call) return;
    this.#finish(call, 'visitor');
    await call.leave();
  }

  /** Mutes or unmutes the microphone (with push-to-talk: stops or starts talking). */
  async setMuted(muted: boolean): Promise<void> {
    this.#muted.value = muted;
    this.#host.requestUpdate();
    const microphone = this.#live?.microphone;
    if (!microphone) return;
    if (muted) await microphone.mute();
    else await microphone.unmute();
  }

  /**
   * Sends typed text to the agent (LiveKit Agents reads topic `lk.chat`) and adds it to the
   * transcript. Rejects when no call is connected or sending fails.
   */
  async sendText(text: string): Promise<void> {
    const message = text.trim();
    if (message === '') return;
    const call = this.#live;
    if (!call || !isJoined(this.#state)) {
      throw new SessionError('not_connected', 'sendText() needs a connected call');
    }
    this.#publishTranscript(call, await call.sendText(message));
  }

  /** Retries audio playback; call it from a user gesture when {@link audioBlocked} is set. */
  async resumeAudio(): Promise<void> {
    await this.#live?.unlockAudio();
  }

  #publishTranscript(call: Call, segment: TranscriptSegment | undefined): void {
    if (!segment || call !== this.#call) return;
    this.#transcript = call.transcript.segments;
    this.#host.requestUpdate();
    this.#options.onTranscript(segment);
  }

  #fail(call: Call, error: SessionError): void {
    if (call.closed || call !== this.#call) return;
    this.#error = error.toDetail();
    this.#close(call);
    this.#dispatch({ type: 'fail' });
    this.#options.onError(this.#error);
    if (call.joined) this.#options.onEnded({ reason: 'error', roomName: call.joined.roomName });
    void call.leave().catch(reportTeardownError);
  }

  #finish(call: Call, reason: EndReason): void {
    this.#close(call);
    this.#dispatch({ type: 'end' });
    if (call.joined) this.#options.onEnded({ reason, roomName: call.joined.roomName });
  }

  #close(call: Call): void {
    if (call.joined) this.tools.unbind();
    call.close();
  }

  #dispatch(event: SessionEvent): void {
    const next = transition(this.#state, event);
    if (next === this.#state) return;
    this.#state = next;
    this.#host.requestUpdate();
    this.#options.onStateChange(next);
  }
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
