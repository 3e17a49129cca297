export interface ParleyContinuedOnPhoneDetail {
  /** The call's room, as in its `parley-connected`; the phone leg is in the same room. */
  readonly roomName: string;
  /** The number the visitor confirmed, in E.164. */
  readonly phoneNumber: string;
}

/**
 * Fired on `<parley-voice>` when the visitor's phone answered and the conversation goes on there:
 * the page has left the call (microphone off). Not an error, and not the agent hanging up; a
 * `parley-ended` with reason `continued-on-phone` follows. Bubbles, composed.
 */
export class ParleyContinuedOnPhoneEvent extends CustomEvent<ParleyContinuedOnPhoneDetail> {
  static readonly eventName = 'parley-continued-on-phone';

  constructor(detail: ParleyContinuedOnPhoneDetail) {
    super(ParleyContinuedOnPhoneEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-continued-on-phone': ParleyContinuedOnPhoneEvent;
  }
}
