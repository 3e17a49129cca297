import type { PhoneCallStatus } from '@parley/contracts';

/** How a dial ended: the callee picked up, or why not. */
export type DialStatus = Extract<PhoneCallStatus, 'answered' | 'busy' | 'no_answer' | 'failed'>;

export interface DialOutcome {
  status: DialStatus;
  /** The SIP response code that ended an unanswered dial (486, 603, 480…), when there was one. */
  sipStatusCode?: number;
  /** What went wrong, for the log: the bridge's or the carrier's own words. */
  reason?: string;
}

/** SIP codes that mean "the callee is there but will not take the call". */
const BUSY = new Set([486, 600, 603]);
/** SIP codes that mean "nobody picked up" (or the callee cannot be reached right now). */
const NO_ANSWER = new Set([408, 480, 487]);

/** The parts of the SDK's `SipCallError` / `ServerError` this mapping reads. */
interface ServerErrorLike {
  message?: unknown;
  /** Twirp's error code: `canceled`, `deadline_exceeded`, `unavailable`… */
  code?: unknown;
  /** Twirp metadata; a failed INVITE carries `sip_status_code` and `sip_status`. */
  metadata?: unknown;
}

function sipStatusCodeOf(metadata: unknown): number | undefined {
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const raw = (metadata as Record<string, unknown>).sip_status_code;
  const code = typeof raw === 'string' ? Number(raw) : raw;
  return typeof code === 'number' && Number.isInteger(code) && code >= 300 ? code : undefined;
}

/**
 * What a failed `createSipParticipant(…, { waitUntilAnswered: true })` means for the call.
 * livekit-sip puts the callee's final SIP response in the error's metadata (`sip_status_code`);
 * a ringing timeout has no SIP response, only the bridge's "sip request timed out" (Twirp code
 * `canceled`), and neither has the SDK's own request timeout (`deadline_exceeded`).
 */
export function dialOutcomeOf(error: unknown): DialOutcome {
  const { message, code, metadata } = (
    typeof error === 'object' && error !== null ? error : {}
  ) as ServerErrorLike;
  const reason = typeof message === 'string' ? message : String(error);
  const sipStatusCode = sipStatusCodeOf(metadata);
  if (sipStatusCode !== undefined) {
    if (BUSY.has(sipStatusCode)) return { status: 'busy', sipStatusCode, reason };
    if (NO_ANSWER.has(sipStatusCode)) return { status: 'no_answer', sipStatusCode, reason };
    return { status: 'failed', sipStatusCode, reason };
  }
  if (/sip request timed out/i.test(reason) || code === 'deadline_exceeded') {
    return { status: 'no_answer', reason };
  }
  return { status: 'failed', reason };
}
