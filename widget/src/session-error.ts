import type { ErrorCode } from '@parley/contracts';

/** Failures the widget detects itself, before or beside the server's API errors. */
export type WidgetErrorCode =
  /** The browser cannot do a voice call here (no WebRTC, no microphone API, insecure page). */
  | 'unsupported_browser'
  /** The visitor or the browser refused microphone access. */
  | 'microphone_denied'
  /** No microphone, or it is in use elsewhere. */
  | 'microphone_unavailable'
  /** `POST /v1/sessions` could not be sent or got no answer. */
  | 'server_unreachable'
  /** The server answered, but not with a session nor a `{ error }` body. */
  | 'invalid_response'
  /** Joining the LiveKit room failed. */
  | 'connection_failed'
  /** The room connection dropped during the call. */
  | 'connection_lost'
  /** No agent joined the room in time. */
  | 'agent_unavailable'
  /** A bug: something the widget did not expect went wrong. */
  | 'internal';

/**
 * Every code a `parley-error` event can carry: the server's API codes, the widget's own, and — since
 * a newer server may add codes — any other string.
 */
export type ParleyErrorCode = ErrorCode | WidgetErrorCode | (string & {});

export interface ParleyErrorDetail {
  readonly code: ParleyErrorCode;
  /** Human-readable, shown to the visitor as is. */
  readonly message: string;
}

export class SessionError extends Error implements ParleyErrorDetail {
  override readonly name = 'SessionError';
  readonly code: ParleyErrorCode;

  constructor(code: ParleyErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }

  toDetail(): ParleyErrorDetail {
    return { code: this.code, message: this.message };
  }
}
