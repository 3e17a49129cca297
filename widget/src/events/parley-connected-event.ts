export interface ParleyConnectedDetail {
  /** The LiveKit room of this call; the server's call records use the same name. */
  readonly roomName: string;
  /** The visitor's participant identity in that room. */
  readonly identity: string;
}

/**
 * Fired on `<parley-voice>` once the call's room is joined (the agent may still be on its way).
 * Every `parley-connected` is followed by exactly one `parley-ended`. Bubbles, composed.
 */
export class ParleyConnectedEvent extends CustomEvent<ParleyConnectedDetail> {
  static readonly eventName = 'parley-connected';

  constructor(detail: ParleyConnectedDetail) {
    super(ParleyConnectedEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-connected': ParleyConnectedEvent;
  }
}
