/**
 * Who ended a call: `visitor` (the end button, Escape, `end()`, or the element leaving the page),
 * `agent` (the agent hung up or the room was closed), `error` (the connection was lost; a
 * `parley-error` came first), `continued-on-phone` (the visitor's phone took the call over; a
 * `parley-continued-on-phone` came first).
 */
export type EndReason = 'visitor' | 'agent' | 'error' | 'continued-on-phone';

export interface ParleyEndedDetail {
  readonly reason: EndReason;
  /** The room named by the call's `parley-connected`. */
  readonly roomName: string;
}

/** Fired on `<parley-voice>` when a connected call is over. Bubbles, composed. */
export class ParleyEndedEvent extends CustomEvent<ParleyEndedDetail> {
  static readonly eventName = 'parley-ended';

  constructor(detail: ParleyEndedDetail) {
    super(ParleyEndedEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-ended': ParleyEndedEvent;
  }
}
