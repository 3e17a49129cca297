export interface ParleyRequestStartDetail {
  readonly persona: string;
  /** The call will be text-only (no microphone). */
  readonly textOnly: boolean;
}

/**
 * Fired on `<parley-voice>` before a call starts (launcher, Enter/Space, or `start()`). Cancelable:
 * a host page that calls `preventDefault()` (say, until the visitor accepted its terms) stops the
 * call before the microphone is asked for. Bubbles, composed.
 */
export class ParleyRequestStartEvent extends CustomEvent<ParleyRequestStartDetail> {
  static readonly eventName = 'parley-request-start';

  constructor(detail: ParleyRequestStartDetail) {
    super(ParleyRequestStartEvent.eventName, {
      detail,
      bubbles: true,
      composed: true,
      cancelable: true,
    });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-request-start': ParleyRequestStartEvent;
  }
}
