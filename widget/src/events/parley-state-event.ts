import type { SessionState } from '../session-state.js';

export interface ParleyStateDetail {
  readonly state: SessionState;
}

/** Fired on `<parley-voice>` each time the call changes state. Bubbles, composed. */
export class ParleyStateEvent extends CustomEvent<ParleyStateDetail> {
  static readonly eventName = 'parley-state';

  constructor(detail: ParleyStateDetail) {
    super(ParleyStateEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-state': ParleyStateEvent;
  }
}
