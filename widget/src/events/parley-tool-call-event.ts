import type { ToolCallRecord } from '../client-tools.js';

export type ParleyToolCallDetail = ToolCallRecord;

/**
 * Fired on `<parley-voice>` after the agent called a client tool (see `registerTool`): detail
 * `{ name, args, result }` when the handler answered, `{ name, args, error }` when it failed or
 * timed out. Bubbles, composed.
 */
export class ParleyToolCallEvent extends CustomEvent<ParleyToolCallDetail> {
  static readonly eventName = 'parley-tool-call';

  constructor(detail: ParleyToolCallDetail) {
    super(ParleyToolCallEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-tool-call': ParleyToolCallEvent;
  }
}
