import type { SessionState } from '../session-state.js';
import type { WidgetErrorCode } from '../session-error.js';

/** Refusals of a number for "continue on my phone" that the widget words itself. */
export type PhoneProblemCode =
  /** Ours: the number typed is not in international format. */
  | 'invalid_number'
  /** Ours: the phone rang out, was busy or hung up before answering. */
  | 'phone_unreachable'
  /** Ours: the server cannot dial out now (`sip_unavailable`, `no_outbound_trunk`). */
  | 'phone_unavailable'
  | 'invalid_request'
  | 'do_not_call'
  | 'destination_not_allowed'
  | 'phone_call_limit'
  | 'continue_on_phone_disabled';

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
  /** "Continue on my phone": the offer, its form, the confirmation and the dialling. */
  readonly phone: {
    readonly offer: string;
    readonly label: string;
    /** Describes the number field: the format expected. */
    readonly hint: string;
    readonly next: string;
    readonly cancel: string;
    /** The confirmation; `{number}` is the number typed, normalised. */
    readonly confirm: string;
    readonly callMe: string;
    readonly back: string;
    readonly dialing: string;
    /** Why the number was refused, with what to do next; other codes show the server's message. */
    readonly problems: Readonly<Record<PhoneProblemCode, string>>;
  };
  /**
   * What the widget says when it fails by itself, or when every agent is busy (`at_capacity`);
   * other server refusals show the server's message.
   */
  readonly errors: Readonly<Record<WidgetErrorCode | 'at_capacity', string>>;
  /** The button after a failure that may pass by itself (every agent busy, no agent answered). */
  readonly retry: string;
}
