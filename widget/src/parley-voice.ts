import { LitElement, html, nothing, svg, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { ParleyErrorEvent } from './events/parley-error-event.js';
import { ParleyStateEvent } from './events/parley-state-event.js';
import { ParleyTranscriptEvent } from './events/parley-transcript-event.js';
import { styles } from './parley-voice.styles.js';
import { SessionController } from './session-controller.js';
import type { ParleyErrorDetail } from './session-error.js';
import { isActive, type SessionState } from './session-state.js';
import type { TranscriptSegment } from './transcript-assembler.js';

export const TAG_NAME = 'parley-voice';

const STATUS_TEXT: Record<SessionState, string> = {
  idle: '',
  'requesting-microphone': 'Waiting for microphone access…',
  connecting: 'Connecting…',
  'waiting-for-agent': 'Waiting for the assistant…',
  listening: 'Listening',
  thinking: 'Thinking…',
  speaking: 'Speaking',
  ended: 'Call ended',
  error: 'Call failed',
};

const microphoneIcon = svg`<path
  fill="currentColor"
  d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3Zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11h-2Z"
/>`;

/**
 * A "talk to us" button that starts a voice call with a Parley agent, and a panel showing the
 * call's state and live transcript.
 *
 * @fires parley-state - {@link ParleyStateEvent}, detail `{ state }`, on every state change.
 * @fires parley-transcript - {@link ParleyTranscriptEvent}, detail `{ role, text, final, segmentId }`.
 * @fires parley-error - {@link ParleyErrorEvent}, detail `{ code, message }`, when a call fails.
 *
 * @csspart launcher - The button that starts a call (shown while no call is running).
 * @csspart panel - The call panel: status, error, transcript, end button.
 * @csspart status - The line saying what the call is doing.
 * @csspart end-button - The button that hangs up.
 * @csspart error - The message explaining why the call failed.
 * @csspart audio-button - Shown when the browser blocked sound; a click turns it on.
 * @csspart transcript - The live transcript list (an `aria-live="polite"` region).
 *
 * @cssproperty --parley-accent - Launcher and highlight colour.
 * @cssproperty --parley-on-accent - Text colour on the accent.
 * @cssproperty --parley-surface - Panel background.
 * @cssproperty --parley-text - Panel text colour.
 * @cssproperty --parley-muted - Secondary text (interim transcript).
 * @cssproperty --parley-danger - End button and error colour.
 * @cssproperty --parley-border - Panel border colour.
 * @cssproperty --parley-radius - Panel corner radius.
 * @cssproperty --parley-font - Font family.
 * @cssproperty --parley-panel-width - Panel width (capped by the viewport).
 * @cssproperty --parley-focus-ring - `box-shadow` drawn around focused buttons.
 * @cssproperty --parley-z-index - Stacking order when `floating`.
 */
export class ParleyVoice extends LitElement {
  static override styles = styles;

  /** Id of the persona to talk to. */
  @property({ attribute: 'persona' }) accessor persona = 'default';

  /** Base URL of the Parley server, e.g. `https://parley.example.com`; empty means same origin. */
  @property({ attribute: 'server' }) accessor server = '';

  /** Text of the launcher button. */
  @property({ attribute: 'label' }) accessor label = 'Talk to us';

  /** Pins the element to the bottom-right corner of the viewport. */
  @property({ attribute: 'floating', type: Boolean, reflect: true }) accessor floating = false;

  readonly #session = new SessionController(this, {
    onStateChange: (state) => this.dispatchEvent(new ParleyStateEvent({ state })),
    onTranscript: (segment) => this.dispatchEvent(new ParleyTranscriptEvent(toDetail(segment))),
    onError: (error) => this.dispatchEvent(new ParleyErrorEvent(error)),
  });

  /** Whether focus was inside the element before the update that may remove the focused button. */
  #hadFocus = false;

  /** Where the call is; also reflected to the `state` attribute for styling. */
  get state(): SessionState {
    return this.#session.state;
  }

  /** Why the last call failed, while `state` is `error`. */
  get error(): ParleyErrorDetail | undefined {
    return this.#session.error;
  }

  /** The current (or last) call's transcript, oldest first. */
  get transcript(): readonly TranscriptSegment[] {
    return this.#session.transcript;
  }

  /**
   * Starts a call (microphone permission, session, room, agent). Resolves when the call is waiting
   * for the agent or has failed; failures are reported by `parley-error`, never by rejecting. Call it
   * from a user gesture so the agent's voice may play.
   */
  start(): Promise<void> {
    return this.#session.start({ persona: this.persona, server: this.server });
  }

  /** Hangs up. */
  end(): Promise<void> {
    return this.#session.end();
  }

  override render() {
    const state = this.#session.state;
    const inCall = isActive(state);
    return html`
      ${state === 'idle' ? nothing : this.#renderPanel(state, inCall)}
      ${
        inCall
          ? nothing
          : html`<button
              part="launcher"
              class="launcher"
              type="button"
              @click=${this.#handleLaunch}
            >
              <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">${microphoneIcon}</svg>
              <span>${this.label}</span>
            </button>`
      }
      <div class="audio" hidden>${this.#session.audioElements}</div>
    `;
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    this.#hadFocus = this.shadowRoot?.activeElement != null;
  }

  protected override updated(_changed: PropertyValues<this>): void {
    if (this.getAttribute('state') !== this.#session.state) {
      this.setAttribute('state', this.#session.state);
    }
    // the launcher and the end button replace each other: keep keyboard focus on whichever is shown
    if (this.#hadFocus && this.shadowRoot?.activeElement == null) {
      this.renderRoot.querySelector<HTMLButtonElement>('.end, .launcher')?.focus();
    }
  }

  #renderPanel(state: SessionState, inCall: boolean) {
    const { error, transcript } = this.#session;
    return html`<section part="panel" class="panel" aria-label="Voice call">
      <div class="header">
        <span class="indicator" data-state=${state} aria-hidden="true"></span>
        <p part="status" class="status" role="status">${STATUS_TEXT[state]}</p>
        ${
          inCall
            ? html`<button part="end-button" class="end" type="button" @click=${this.#handleEnd}>
                End call
              </button>`
            : nothing
        }
      </div>
      ${
        error && state === 'error'
          ? html`<p part="error" class="error" role="alert">${error.message}</p>`
          : nothing
      }
      ${
        this.#session.audioBlocked
          ? html`<button
              part="audio-button"
              class="secondary"
              type="button"
              @click=${this.#handleResumeAudio}
            >
              Turn on sound
            </button>`
          : nothing
      }
      <ol
        part="transcript"
        class=${transcript.length === 0 ? 'transcript empty' : 'transcript'}
        aria-live="polite"
        aria-label="Transcript"
      >
        ${repeat(
          transcript,
          (segment) => segment.segmentId,
          (segment) =>
            html`<li class="line" data-role=${segment.role} data-final=${String(segment.final)}>
              <span class="speaker">${segment.role === 'user' ? 'You:' : 'Assistant:'}</span>
              ${segment.text}
            </li>`,
        )}
      </ol>
    </section>`;
  }

  #handleLaunch = (): void => {
    void this.start();
  };

  #handleEnd = (): void => {
    void this.end();
  };

  #handleResumeAudio = (): void => {
    void this.#session.resumeAudio();
  };
}

function toDetail(segment: TranscriptSegment): ParleyTranscriptEvent['detail'] {
  return {
    role: segment.role,
    text: segment.text,
    final: segment.final,
    segmentId: segment.segmentId,
  };
}

// a page may include the script twice (loader plus module, two embeds): the first one wins
if (!customElements.get(TAG_NAME)) {
  customElements.define(TAG_NAME, ParleyVoice);
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-voice': ParleyVoice;
  }
}
