import { html, nothing, type PropertyValues } from 'lit';
import { agentTimeoutMs, applyAccent, cleanVariables } from './attributes.js';
import type { ClientToolHandler, ClientToolSchema } from './client-tools.js';
import { ParleyConnectedEvent } from './events/parley-connected-event.js';
import { ParleyContinuedOnPhoneEvent } from './events/parley-continued-on-phone-event.js';
import { ParleyEndedEvent } from './events/parley-ended-event.js';
import { ParleyErrorEvent } from './events/parley-error-event.js';
import { ParleyRequestStartEvent } from './events/parley-request-start-event.js';
import { ParleyStateEvent } from './events/parley-state-event.js';
import { ParleyToolCallEvent } from './events/parley-tool-call-event.js';
import { ParleyTranscriptEvent } from './events/parley-transcript-event.js';
import { errorMessage, messagesFor, type Messages } from './i18n/catalog.js';
import { launcherIcon, renderPanel, type PanelHandlers } from './panel-view.js';
import { ParleyVoiceAttributes } from './parley-voice-attributes.js';
import { CLOSED, type PhoneHandoff } from './phone-handoff.js';
import { styles } from './parley-voice.styles.js';
import { SessionController } from './session-controller.js';
import type { ParleyErrorDetail } from './session-error.js';
import { isActive, type SessionState } from './session-state.js';
import type { TranscriptSegment } from './transcript-assembler.js';

export const TAG_NAME = 'parley-voice';

/**
 * A "talk to us" button that starts a voice (or text) call with a Parley agent, and a panel with
 * the call's state, timer, audio levels, live transcript and a message box.
 *
 * @fires parley-request-start - Cancelable; detail `{ persona, textOnly }`, before a call starts.
 * @fires parley-state - Detail `{ state }`, on every state change.
 * @fires parley-connected - Detail `{ roomName, identity }`, once the room is joined.
 * @fires parley-transcript - Detail `{ role, text, final, segmentId }`.
 * @fires parley-ended - Detail `{ reason, roomName }`, after every `parley-connected`.
 * @fires parley-error - Detail `{ code, message }`, when a call cannot start or breaks off.
 * @fires parley-tool-call - Detail `{ name, args, result | error }`, after a client tool ran.
 * @fires parley-continued-on-phone - Detail `{ roomName, phoneNumber }`, when the visitor's phone
 * answered and the page left the call.
 *
 * @csspart launcher - The button that starts a call (shown while no call is running).
 * @csspart panel - The call panel.
 * @csspart status - The line saying what the call is doing.
 * @csspart timer - The call duration.
 * @csspart end-button - The button that hangs up.
 * @csspart meters - The visitor's and the agent's audio level bars.
 * @csspart error - The message explaining why the call failed.
 * @csspart text-mode-button - Offered after a microphone failure: continues the call by text.
 * @csspart audio-button - Shown when the browser blocked sound; a click turns it on.
 * @csspart transcript - The live transcript list (an `aria-live="polite"` region).
 * @csspart mute-button - Toggles the microphone (`aria-pressed`).
 * @csspart talk-button - With `push-to-talk`: hold it (or Space on it) to talk.
 * @csspart composer - The message form.
 * @csspart send-button - Sends the typed message.
 * @csspart consent-text - The persona's consent text, asked before the microphone opens.
 * @csspart accept-button - Accepts the consent text; the call goes on.
 * @csspart decline-button - Declines the consent text; no call.
 * @csspart phone-button - "Continue on my phone", when the persona offers it during a call.
 * @csspart phone-form - The phone number form (`type=tel`, E.164).
 * @csspart phone-problem - Why the number was refused, with what to do next (`role="alert"`).
 * @csspart phone-call-button - Confirms the number: Parley calls it now.
 * @csspart phone-status - "Calling your phone…" while it rings (`role="status"`).
 *
 * @cssproperty --parley-accent - Launcher and highlight colour (also the `accent` attribute).
 * @cssproperty --parley-on-accent - Text colour on the accent.
 * @cssproperty --parley-surface - Panel background.
 * @cssproperty --parley-text - Panel text colour.
 * @cssproperty --parley-muted - Secondary text (interim transcript, timer).
 * @cssproperty --parley-danger - End button and error colour.
 * @cssproperty --parley-on-danger - Text colour on the end button.
 * @cssproperty --parley-border - Panel and input border colour.
 * @cssproperty --parley-meter - Track colour of the level meters.
 * @cssproperty --parley-radius - Panel corner radius.
 * @cssproperty --parley-font - Font family.
 * @cssproperty --parley-panel-width - Panel width (capped by the viewport).
 * @cssproperty --parley-focus-ring - `box-shadow` drawn around focused controls.
 * @cssproperty --parley-z-index - Stacking order when floating.
 * @cssproperty --parley-offset - Distance from the viewport corner when floating.
 */
export class ParleyVoice extends ParleyVoiceAttributes {
  static override styles = styles;

  readonly #session = new SessionController(this, {
    onStateChange: (state) => this.dispatchEvent(new ParleyStateEvent({ state })),
    onTranscript: (segment) => this.dispatchEvent(new ParleyTranscriptEvent({ ...segment })),
    onError: (error) => this.dispatchEvent(new ParleyErrorEvent(this.#localize(error))),
    onConnected: (detail) => this.dispatchEvent(new ParleyConnectedEvent(detail)),
    onEnded: (detail) => this.dispatchEvent(new ParleyEndedEvent(detail)),
    onToolCall: (record) => this.dispatchEvent(new ParleyToolCallEvent(record)),
    onContinuedOnPhone: (detail) => this.dispatchEvent(new ParleyContinuedOnPhoneEvent(detail)),
  });

  /** Whether focus was inside the element before the update that may remove the focused button. */
  #hadFocus = false;
  /** The "continue on my phone" step last rendered, to move focus when it changes. */
  #phoneHandoff: PhoneHandoff = CLOSED;
  #clock: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.addEventListener('keydown', this.#handleKeydown);
  }

  /** Where the call is; also reflected to the `state` attribute for styling. */
  get state(): SessionState {
    return this.#session.state;
  }

  /** Why the last call failed, while `state` is `error`. */
  get error(): ParleyErrorDetail | undefined {
    const { error } = this.#session;
    return error && this.#localize(error);
  }

  /** The current (or last) call's transcript, oldest first. */
  get transcript(): readonly TranscriptSegment[] {
    return this.#session.transcript;
  }

  /** Whether the microphone is muted. */
  get muted(): boolean {
    return this.#session.muted;
  }

  /**
   * Starts a call (consent if the persona asks for it, microphone permission unless `text-only`,
   * session, room, agent), after a cancelable `parley-request-start`. Resolves when the call is
   * waiting for consent or for the agent, has failed (reported by `parley-error`, never by
   * rejecting) or was vetoed. Call it from a user gesture so
   * the agent's voice may play.
   */
  start(): Promise<void> {
    if (isActive(this.state)) return Promise.resolve();
    const request = new ParleyRequestStartEvent({
      persona: this.persona,
      textOnly: this.textOnly,
    });
    if (!this.dispatchEvent(request)) return Promise.resolve();
    return this.#session.start({
      persona: this.persona,
      server: this.server,
      variables: this.variables,
      textOnly: this.textOnly,
      startMuted: this.startMuted,
      pushToTalk: this.pushToTalk,
      agentTimeoutMs: agentTimeoutMs(this.agentTimeout),
      sessionRequestTimeoutMs: 15_000,
    });
  }

  /** Hangs up. */
  end(): Promise<void> {
    return this.#session.end();
  }

  /** Mutes (`true`) or unmutes the microphone; applies to the next call too. */
  setMuted(muted: boolean): Promise<void> {
    return this.#session.setMuted(muted);
  }

  /** Sends a typed message to the agent. Rejects unless a call is connected. */
  sendText(text: string): Promise<void> {
    return this.#session.sendText(text);
  }

  /** Replaces the variables sent with the next call's session request. */
  setVariables(variables: Readonly<Record<string, unknown>>): void {
    this.variables = cleanVariables(variables);
  }

  /**
   * Lets the agent call `handler` as a client tool named `name` (a LiveKit RPC method), during
   * this and later calls. `schema` describes the tool and its JSON arguments. The handler gets the
   * parsed arguments and returns a JSON-encodable result (or a promise of one); throwing, or taking
   * longer than 10 s, answers the agent with an error. Returns a function that removes the tool.
   */
  registerTool(name: string, schema: ClientToolSchema, handler: ClientToolHandler): () => void {
    return this.#session.tools.register(name, schema, handler);
  }

  override render() {
    const state = this.#session.state;
    const messages = this.#messages();
    const joinedAt = this.#session.joinedAt;
    return html`
      ${
        state === 'idle'
          ? nothing
          : renderPanel(
              {
                messages,
                state,
                error: this.error,
                transcript: this.#session.transcript,
                textOnly: this.#session.callOptions?.textOnly ?? this.textOnly,
                pushToTalk: this.#session.callOptions?.pushToTalk ?? this.pushToTalk,
                muted: this.#session.muted,
                audioBlocked: this.#session.audioBlocked,
                levels: this.#session.levels,
                elapsedMs: joinedAt === undefined ? undefined : Date.now() - joinedAt,
                consent: this.#session.consentText,
                phone: this.#session.phoneHandoff,
                offersPhone: this.#session.offersPhone,
              },
              this.#panelHandlers,
            )
      }
      ${
        isActive(state)
          ? nothing
          : html`<button
              part="launcher"
              class="launcher"
              type="button"
              @click=${this.#handleLaunch}
            >
              ${launcherIcon()}
              <span>${this.label || messages.launcher}</span>
            </button>`
      }
      <div class="audio" hidden>${this.#session.audioElements}</div>
    `;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#hadFocus = this.shadowRoot?.activeElement != null;
    if (changed.has('accent')) applyAccent(this.style, this.accent);
  }

  protected override updated(_changed: PropertyValues<this>): void {
    if (this.getAttribute('state') !== this.#session.state) {
      this.setAttribute('state', this.#session.state);
    }
    // the launcher, the consent step and the end button replace each other: keep keyboard focus
    // on whichever is shown
    this.#followPhoneHandoff();
    if (this.#hadFocus && this.shadowRoot?.activeElement == null) {
      this.renderRoot.querySelector<HTMLButtonElement>('.accept, .end, .launcher')?.focus();
    }
    this.#tickWhileJoined();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clock);
    this.#clock = undefined;
  }

  /**
   * The offer, the form and the confirmation replace each other: focus goes to the number field
   * (again after a refusal), to "Call me", or back to the offer after Cancel.
   */
  #followPhoneHandoff(): void {
    const previous = this.#phoneHandoff;
    const handoff = this.#session.phoneHandoff;
    if (handoff === previous) return;
    this.#phoneHandoff = handoff;
    const target =
      handoff.step === 'form'
        ? '#phone'
        : handoff.step === 'confirm'
          ? '.phone-call'
          : handoff.step === 'closed' && previous.step !== 'dialing'
            ? '.phone-offer'
            : undefined;
    if (target) this.renderRoot.querySelector<HTMLElement>(target)?.focus();
  }

  #messages(): Messages {
    return messagesFor(
      this.language ||
        this.parentElement?.closest('[lang]')?.getAttribute('lang') ||
        document.documentElement.lang,
    );
  }

  #localize(error: ParleyErrorDetail): ParleyErrorDetail {
    return { code: error.code, message: errorMessage(this.#messages(), error.code, error.message) };
  }

  /** The call timer re-renders once a second, only while a call is joined. */
  #tickWhileJoined(): void {
    const joined = this.#session.joinedAt !== undefined;
    if (joined && this.#clock === undefined) {
      this.#clock = setInterval(() => this.requestUpdate(), 1000);
    } else if (!joined && this.#clock !== undefined) {
      clearInterval(this.#clock);
      this.#clock = undefined;
    }
  }

  readonly #panelHandlers: PanelHandlers = {
    end: () => void this.end(),
    toggleMute: () => void this.setMuted(!this.#session.muted),
    talk: (talking) => void this.setMuted(!talking),
    resumeAudio: () => void this.#session.resumeAudio(),
    acceptConsent: () => void this.#session.acceptConsent(),
    declineConsent: () => this.#session.declineConsent(),
    phone: (event) => void this.#session.phone(event),
    useText: () => {
      this.textOnly = true;
      void this.start();
    },
    retry: () => void this.start(),
    submitText: (event) => {
      event.preventDefault();
      const form = event.currentTarget;
      if (!(form instanceof HTMLFormElement)) return;
      const input = form.elements.namedItem('message');
      if (!(input instanceof HTMLInputElement) || input.value.trim() === '') return;
      const text = input.value;
      input.value = '';
      this.sendText(text).catch((error: unknown) => {
        input.value = text;
        console.warn('[parley] sending the message failed', error);
      });
    },
  };

  #handleLaunch = (): void => {
    void this.start();
  };

  #handleKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && isActive(this.state)) {
      event.stopPropagation();
      void this.end();
    }
  };
}

// a page may include the script twice (loader plus module, two embeds): the first one wins
// (the literal tag name, not TAG_NAME, lets the custom-elements manifest analyzer see the tag)
if (!customElements.get('parley-voice')) {
  customElements.define('parley-voice', ParleyVoice);
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-voice': ParleyVoice;
  }
}
