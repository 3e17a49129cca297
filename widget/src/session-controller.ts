import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ConsentAcceptance } from '@parley/contracts';
import { Call, SILENT, type AudioLevels, type CallOptions } from './call.js';
import { ClientTools, type ToolCallRecord } from './client-tools.js';
import type { ParleyConnectedDetail } from './events/parley-connected-event.js';
import type { ParleyContinuedOnPhoneDetail } from './events/parley-continued-on-phone-event.js';
import type { EndReason, ParleyEndedDetail } from './events/parley-ended-event.js';
import { CLOSED, handoffStep, type HandoffEvent, type PhoneHandoff } from './phone-handoff.js';
import { SessionError, type ParleyErrorDetail } from './session-error.js';
import {
  isActive,
  isInConversation,
  isJoined,
  transition,
  type SessionEvent,
  type SessionState,
} from './session-state.js';
import type { TranscriptSegment } from './transcript-assembler.js';
import { requestWidgetConfig, type ConsentRequest } from './widget-config.js';

export type { AudioLevels, CallOptions };

export interface SessionControllerOptions {
  onStateChange: (state: SessionState) => void;
  onTranscript: (segment: TranscriptSegment) => void;
  onError: (error: ParleyErrorDetail) => void;
  onConnected: (detail: ParleyConnectedDetail) => void;
  onEnded: (detail: ParleyEndedDetail) => void;
  onToolCall: (record: ToolCallRecord) => void;
  onContinuedOnPhone: (detail: ParleyContinuedOnPhoneDetail) => void;
  /** How long "continue on my phone" waits for the phone to answer (the server rings for 30 s). */
  phoneAnswerTimeoutMs: number;
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
  onContinuedOnPhone: () => undefined,
  phoneAnswerTimeoutMs: 60_000,
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
  /**
   * The persona's widget configuration, per server and persona: its consent wording (`null`: none
   * asked) and whether it offers to continue on the visitor's phone.
   */
  #consent: { key: string; asked: ConsentRequest | null; phone: boolean } | undefined;
  /** Where "continue on my phone" stands in the current call. */
  #handoff: PhoneHandoff = CLOSED;
  /** What the visitor accepted; sent with every session request of this element. */
  #accepted: ConsentAcceptance | undefined;
  /** The call waiting for the visitor's consent, or being prepared (config fetch). */
  #pending: CallOptions | undefined;
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

  /** The consent wording the visitor is asked to accept, in the `consent` state. */
  get consentText(): string | undefined {
    return this.#state === 'consent' ? this.#consent?.asked?.text : undefined;
  }

  /** "Continue on my phone" is offered: the persona allows it and the conversation is running. */
  get offersPhone(): boolean {
    return this.#consent?.phone === true && isInConversation(this.#state);
  }

  /** Where "continue on my phone" stands (its form, confirmation, dialling). */
  get phoneHandoff(): PhoneHandoff {
    return this.#live ? this.#handoff : CLOSED;
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
   * Asks for the visitor's consent when the persona wants it, then for the microphone (unless
   * text-only), a session, joins the room and waits for the agent. Resolves once the call waits
   * for consent or for the agent, or has failed (`state` is then `error`); never rejects. Call it
   * from a user gesture so audio may play.
   */
  async start(options: CallOptions): Promise<void> {
    if (isActive(this.#state) || this.#pending) return;
    this.#pending = options;
    const asked = await this.#consentAsked(options);
    // ended (or the element removed) while the configuration was on its way
    if (this.#pending !== options) return;
    const accepted = this.#accepted;
    if (asked && (accepted?.version !== asked.version || accepted?.text !== asked.text)) {
      this.#error = undefined;
      this.#transcript = [];
      this.#dispatch({ type: 'ask-consent' });
      return;
    }
    this.#pending = undefined;
    await this.#open({ ...options, consent: asked && accepted });
  }

  /** The visitor accepted the consent text shown in the `consent` state: the call goes on. */
  acceptConsent(): Promise<void> {
    const options = this.#pending;
    const asked = this.#consent?.asked;
    if (this.#state !== 'consent' || !options || !asked) return Promise.resolve();
    this.#pending = undefined;
    this.#accepted = { ...asked, acceptedAt: new Date().toISOString() };
    return this.#open({ ...options, consent: this.#accepted });
  }

  /** The visitor refused the consent (or the call ended before it): back to idle, no microphone. */
  declineConsent(): void {
    this.#pending = undefined;
    this.#dispatch({ type: 'decline' });
  }

  async #open(options: CallOptions): Promise<void> {
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
      phoneLeg: (status) => {
        if (this.#call !== call || call.closed || this.#handoff.step !== 'dialing') return;
        if (status === 'active') this.#continueOnPhone(call, this.#handoff.number);
        else
          this.#phoneStep({ type: 'refused', problem: { code: 'phone_unreachable', message: '' } });
      },
    });
    this.#call = call;
    this.#handoff = CLOSED;
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

  /** Hangs up (or, while consent is asked, declines it). Resolves once the room is left. */
  async end(): Promise<void> {
    this.declineConsent();
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

  /**
   * Moves "continue on my phone" along: opens or cancels its form, checks the number typed
   * (`submit`), goes back from the confirmation. `dial` asks the server to call the confirmed
   * number; a refusal comes back to the form with the server's reason.
   */
  async phone(event: HandoffEvent): Promise<void> {
    const call = this.#live;
    if (!call || !isJoined(this.#state)) return;
    const before = this.#handoff;
    this.#phoneStep(event);
    const handoff = this.#handoff;
    if (before.step !== 'confirm' || handoff.step !== 'dialing') return;
    try {
      await call.dialPhone(handoff.number);
      // the server dials in the background: a dial that fails before the phone leg joins the
      // room would otherwise leave the visitor waiting
      setTimeout(() => {
        if (this.#call === call && !call.closed && this.#handoff === handoff) {
          this.#phoneStep({ type: 'refused', problem: { code: 'phone_unreachable', message: '' } });
        }
      }, this.#options.phoneAnswerTimeoutMs);
    } catch (error) {
      if (call.closed) return;
      const { code, message } = toSessionError(error);
      // the persona stopped offering it since the widget asked: no point offering it again
      if (code === 'continue_on_phone_disabled' && this.#consent) this.#consent.phone = false;
      const unavailable = code === 'sip_unavailable' || code === 'no_outbound_trunk';
      this.#phoneStep({
        type: 'refused',
        problem: { code: unavailable ? 'phone_unavailable' : code, message },
      });
    }
  }

  #phoneStep(event: HandoffEvent): void {
    const next = handoffStep(this.#handoff, event);
    if (next === this.#handoff) return;
    this.#handoff = next;
    this.#host.requestUpdate();
  }

  /** The visitor's phone answered in the room: the page leaves, the conversation goes on there. */
  #continueOnPhone(call: Call, phoneNumber: string): void {
    const joined = call.joined;
    if (!joined) return;
    this.#close(call);
    this.#dispatch({ type: 'continue-on-phone' });
    this.#options.onContinuedOnPhone({ roomName: joined.roomName, phoneNumber });
    this.#options.onEnded({ reason: 'continued-on-phone', roomName: joined.roomName });
    void call.leave().catch(reportTeardownError);
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

  /**
   * The consent the persona asks for; fetched once per server and persona, and again after the
   * server refused the visitor's consent as missing or outdated.
   */
  async #consentAsked(options: CallOptions): Promise<ConsentRequest | undefined> {
    const key = `${options.server} ${options.persona}`;
    if (this.#consent?.key !== key) {
      try {
        const config = await requestWidgetConfig(options.persona, { server: options.server });
        this.#consent = {
          key,
          asked: config.consent ?? null,
          phone: config.continueOnPhone === true,
        };
      } catch (error) {
        // the session request goes on without: the server refuses it with the reason if consent
        // was required after all
        console.warn('[parley] fetching the widget configuration failed', error);
        return undefined;
      }
    }
    return this.#consent?.asked ?? undefined;
  }

  #fail(call: Call, error: SessionError): void {
    if (call.closed || call !== this.#call) return;
    if (error.code === 'consent_required' || error.code === 'consent_outdated') {
      this.#consent = undefined;
      this.#accepted = undefined;
    }
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
    this.#handoff = CLOSED;
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
