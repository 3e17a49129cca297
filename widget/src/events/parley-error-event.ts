import type { ParleyErrorDetail } from '../session-error.js';

export type { ParleyErrorDetail };

/**
 * Fired on `<parley-voice>` when a call cannot start or breaks off; the element is then in the
 * `error` state and shows `message`. Bubbles, composed.
 */
export class ParleyErrorEvent extends CustomEvent<ParleyErrorDetail> {
  static readonly eventName = 'parley-error';

  constructor(detail: ParleyErrorDetail) {
    super(ParleyErrorEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-error': ParleyErrorEvent;
  }
}
