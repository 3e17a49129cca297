import type { SessionState } from '../session-state.js';
import type { WidgetErrorCode } from '../session-error.js';

/**
 * Every string `<parley-voice>` shows or announces. One object per language; a language that lacks
 * a key does not type-check, and `catalog.test.ts` checks the same at run time.
 */
export interface Messages {
  /** BCP 47 tag of the language the strings are in, set as the panel's `lang`. */
  readonly lang: string;
  /** Default launcher text (the `label` attribute overrides it). */
  readonly launcher: string;
  readonly panel: string;
  readonly status: Readonly<Record<SessionState, string>>;
  /** Status while a text-only call waits for the visitor. */
  readonly textReady: string;
  readonly endCall: string;
  readonly mute: string;
  readonly holdToTalk: string;
  readonly callDuration: string;
  readonly transcript: string;
  readonly you: string;
  readonly assistant: string;
  readonly messageLabel: string;
  readonly messagePlaceholder: string;
  readonly send: string;
  readonly turnOnSound: string;
  readonly useText: string;
  /** Accepts the persona's consent text (the text itself comes from the server). */
  readonly accept: string;
  readonly decline: string;
  readonly visitorLevel: string;
  readonly agentLevel: string;
  /** What the widget says when it fails by itself; server refusals show the server's message. */
  readonly errors: Readonly<Record<WidgetErrorCode, string>>;
}
