import { isRecord, requestJson, type ServerRequestOptions } from './server-request.js';

/**
 * "Continue on my phone", step by step: the visitor opens the form, types a number, confirms it,
 * and Parley dials it into the call's room. A refused number goes back to the form with the
 * reason; a phone that answers ends the web call (the session controller's business).
 */
export type PhoneHandoff =
  | { readonly step: 'closed' }
  | { readonly step: 'form'; readonly number: string; readonly problem?: HandoffProblem }
  | { readonly step: 'confirm'; readonly number: string }
  | { readonly step: 'dialing'; readonly number: string };

/** Why the number was refused: `invalid_number` (ours) or the server's error code. */
export interface HandoffProblem {
  readonly code: string;
  /** The server's message, shown when the widget has no words of its own for `code`. */
  readonly message: string;
}

export type HandoffEvent =
  | { type: 'open' }
  | { type: 'cancel' }
  | { type: 'submit'; number: string }
  | { type: 'back' }
  | { type: 'dial' }
  | { type: 'refused'; problem: HandoffProblem };

export const CLOSED: PhoneHandoff = { step: 'closed' };

/** E.164, as the server checks it: `+`, a country code, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;

/** `+1 (415) 555-0123` → `+14155550123`: spaces, dots, dashes and brackets are only layout. */
export function normalizeNumber(input: string): string {
  return input.replace(/[\s().-]/g, '');
}

/** The next step; the same one when the event does not apply there. Pure. */
export function handoffStep(handoff: PhoneHandoff, event: HandoffEvent): PhoneHandoff {
  switch (event.type) {
    case 'open':
      return handoff.step === 'closed' ? { step: 'form', number: '' } : handoff;
    case 'cancel':
      return handoff.step === 'dialing' ? handoff : CLOSED;
    case 'submit': {
      if (handoff.step !== 'form') return handoff;
      const number = normalizeNumber(event.number);
      return E164.test(number)
        ? { step: 'confirm', number }
        : { step: 'form', number: event.number, problem: { code: 'invalid_number', message: '' } };
    }
    case 'back':
      return handoff.step === 'confirm' ? { step: 'form', number: handoff.number } : handoff;
    case 'dial':
      return handoff.step === 'confirm' ? { step: 'dialing', number: handoff.number } : handoff;
    case 'refused':
      return handoff.step === 'dialing'
        ? { step: 'form', number: handoff.number, problem: event.problem }
        : handoff;
  }
}

/** `202` answer of `POST /v1/sessions/phone`: the identity the phone leg will have. */
export interface ContinueOnPhoneAnswer {
  status: 'dialing';
  identity: string;
}

/**
 * `POST /v1/sessions/phone` with the visitor's own LiveKit token as credential: Parley dials `to`
 * into the same room. Rejects like `requestSession` (`do_not_call`, `destination_not_allowed`, …).
 */
export function requestPhoneLeg(
  to: string,
  options: Partial<ServerRequestOptions>,
): Promise<ContinueOnPhoneAnswer> {
  return requestJson('/v1/sessions/phone', { to }, isAnswer, options);
}

function isAnswer(value: unknown): value is ContinueOnPhoneAnswer {
  return isRecord(value) && value['status'] === 'dialing' && typeof value['identity'] === 'string';
}
