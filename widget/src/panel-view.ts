import { html, nothing, svg, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { formatDuration } from './attributes.js';
import type { AudioLevels } from './call.js';
import { cssProperty } from './css-property.js';
import type { Messages } from './i18n/catalog.js';
import { MICROPHONE_PATH } from './launcher-look.js';
import type { HandoffEvent, PhoneHandoff } from './phone-handoff.js';
import { renderPhoneHandoff } from './phone-handoff-view.js';
import type { ParleyErrorDetail } from './session-error.js';
import { isActive, isInConversation, isJoined, type SessionState } from './session-state.js';
import type { TranscriptSegment } from './transcript-assembler.js';

/** What the panel shows; the element builds it from its controller on every render. */
export interface PanelView {
  readonly messages: Messages;
  readonly state: SessionState;
  readonly error: ParleyErrorDetail | undefined;
  readonly transcript: readonly TranscriptSegment[];
  readonly textOnly: boolean;
  readonly pushToTalk: boolean;
  readonly muted: boolean;
  readonly audioBlocked: boolean;
  readonly levels: AudioLevels;
  /** Milliseconds since the room was joined, while joined. */
  readonly elapsedMs: number | undefined;
  /** The consent text to accept, in the `consent` state. */
  readonly consent: string | undefined;
  /** "Continue on my phone": where it stands, and whether the persona offers it now. */
  readonly phone: PhoneHandoff;
  readonly offersPhone: boolean;
}

export interface PanelHandlers {
  end(): void;
  toggleMute(): void;
  talk(talking: boolean): void;
  resumeAudio(): void;
  useText(): void;
  retry(): void;
  submitText(event: SubmitEvent): void;
  acceptConsent(): void;
  declineConsent(): void;
  phone(event: HandoffEvent): void;
}

/** Failures after which typing is the way forward. */
const MICROPHONE_ERRORS: ReadonlySet<string> = new Set([
  'microphone_denied',
  'microphone_unavailable',
  'unsupported_browser',
]);

/** Failures that pass by themselves: the panel offers to try again. */
const PASSING_ERRORS: ReadonlySet<string> = new Set(['at_capacity', 'agent_unavailable']);

export const microphoneIcon = svg`<path fill="currentColor" d=${MICROPHONE_PATH} />`;

export function launcherIcon(): TemplateResult {
  return html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
    ${microphoneIcon}
  </svg>`;
}

/** The call panel: status, timer, end button, meters, error with next steps, transcript, input. */
export function renderPanel(view: PanelView, on: PanelHandlers): TemplateResult {
  const { messages: t, state } = view;
  // while consent is asked, "Decline" is the way out
  const inCall = isActive(state) && state !== 'consent';
  const status = view.textOnly && state === 'listening' ? t.textReady : t.status[state];
  return html`<section part="panel" class="panel" aria-label=${t.panel} lang=${t.lang}>
    <div class="header">
      <span class="indicator" data-state=${state} aria-hidden="true"></span>
      <p part="status" class="status" role="status">${status}</p>
      ${
        view.elapsedMs === undefined
          ? nothing
          : html`<span part="timer" class="timer" role="timer" aria-label=${t.callDuration}
              >${formatDuration(view.elapsedMs)}</span
            >`
      }
      ${
        inCall
          ? html`<button part="end-button" class="end" type="button" @click=${on.end}>
              ${t.endCall}
            </button>`
          : nothing
      }
    </div>
    ${view.consent === undefined ? nothing : renderConsent(view.consent, t, on)}
    ${isInConversation(state) && !view.textOnly ? renderMeters(view) : nothing}
    ${renderError(view, on)}
    ${
      view.audioBlocked
        ? html`<button part="audio-button" class="secondary" type="button" @click=${on.resumeAudio}>
            ${t.turnOnSound}
          </button>`
        : nothing
    }
    <ol
      part="transcript"
      class=${view.transcript.length === 0 ? 'transcript empty' : 'transcript'}
      aria-live="polite"
      aria-label=${t.transcript}
    >
      ${repeat(
        view.transcript,
        (segment) => segment.segmentId,
        (segment) =>
          html`<li class="line" data-role=${segment.role} data-final=${String(segment.final)}>
            <span class="speaker">${segment.role === 'user' ? t.you : t.assistant}</span>
            ${segment.text}
          </li>`,
      )}
    </ol>
    ${isJoined(state) ? renderControls(view, on) : nothing}
    ${isJoined(state) ? renderPhoneHandoff(view.phone, view.offersPhone, t, on.phone) : nothing}
  </section>`;
}

function renderMeters({ messages: t, levels, muted }: PanelView): TemplateResult {
  // decorative: the status line already says who is talking
  return html`<div part="meters" class="meters" aria-hidden="true">
    <span>${t.visitorLevel}</span>
    <span class="meter" data-who="visitor"
      ><span ${cssProperty('--level', String(muted ? 0 : levels.visitor))}></span
    ></span>
    <span>${t.agentLevel}</span>
    <span class="meter" data-who="agent"
      ><span ${cssProperty('--level', String(levels.agent))}></span
    ></span>
  </div>`;
}

/** The persona's consent text, read out with the Accept button that focus moves to. */
function renderConsent(text: string, t: Messages, on: PanelHandlers): TemplateResult {
  return html`<p part="consent-text" id="consent-text" class="consent">${text}</p>
    <div class="actions">
      <button
        part="accept-button"
        class="accept"
        type="button"
        aria-describedby="consent-text"
        @click=${on.acceptConsent}
      >
        ${t.accept}
      </button>
      <button part="decline-button" class="secondary" type="button" @click=${on.declineConsent}>
        ${t.decline}
      </button>
    </div>`;
}

function renderError(view: PanelView, on: PanelHandlers): TemplateResult | typeof nothing {
  const { error, state, messages: t } = view;
  if (!error || state !== 'error') return nothing;
  // What the visitor can do next: type instead of talking, or try again (never both).
  const next =
    MICROPHONE_ERRORS.has(error.code) && !view.textOnly
      ? { part: 'text-mode-button', label: t.useText, act: on.useText }
      : PASSING_ERRORS.has(error.code)
        ? { part: 'retry-button', label: t.retry, act: on.retry }
        : undefined;
  return html`<p part="error" class="error" role="alert">${error.message}</p>
    ${
      next
        ? html`<div class="actions">
            <button part=${next.part} class="secondary" type="button" @click=${next.act}>
              ${next.label}
            </button>
          </div>`
        : nothing
    }`;
}

function renderControls(view: PanelView, on: PanelHandlers): TemplateResult {
  const { messages: t } = view;
  const canSend = isInConversation(view.state);
  return html`<div class="controls">
    ${view.textOnly ? nothing : renderMicrophoneButton(view, on)}
    <form part="composer" class="composer" @submit=${on.submitText}>
      <label class="visually-hidden" for="message">${t.messageLabel}</label>
      <input
        id="message"
        name="message"
        type="text"
        autocomplete="off"
        maxlength="1000"
        placeholder=${t.messagePlaceholder}
        ?disabled=${!canSend}
      />
      <button part="send-button" class="send" type="submit" ?disabled=${!canSend}>${t.send}</button>
    </form>
  </div>`;
}

function renderMicrophoneButton({ messages: t, muted, pushToTalk }: PanelView, on: PanelHandlers) {
  if (pushToTalk) {
    const start = (event: Event): void => {
      event.preventDefault();
      on.talk(true);
    };
    const stop = (): void => on.talk(false);
    const key = (talking: boolean) => (event: KeyboardEvent) => {
      if (event.key !== ' ' && event.key !== 'Enter') return;
      event.preventDefault();
      if (!event.repeat) on.talk(talking);
    };
    return html`<button
      part="talk-button"
      class="secondary"
      type="button"
      aria-pressed=${String(!muted)}
      @pointerdown=${start}
      @pointerup=${stop}
      @pointerleave=${stop}
      @pointercancel=${stop}
      @keydown=${key(true)}
      @keyup=${key(false)}
    >
      ${t.holdToTalk}
    </button>`;
  }
  return html`<button
    part="mute-button"
    class="secondary"
    type="button"
    aria-pressed=${String(muted)}
    @click=${on.toggleMute}
  >
    ${t.mute}
  </button>`;
}
