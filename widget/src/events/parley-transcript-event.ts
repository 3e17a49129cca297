import type { TranscriptRole } from '../transcript-assembler.js';

export interface ParleyTranscriptDetail {
  /** `user` is the visitor, `agent` the assistant. */
  readonly role: TranscriptRole;
  /** The segment's whole text so far (not a delta). */
  readonly text: string;
  /** No more updates will follow for this segment. */
  readonly final: boolean;
  /** Stable across the updates of one segment; use it to replace interim text in place. */
  readonly segmentId: string;
}

/**
 * Fired on `<parley-voice>` whenever a transcript segment of either side grows or becomes final.
 * Bubbles, composed.
 */
export class ParleyTranscriptEvent extends CustomEvent<ParleyTranscriptDetail> {
  static readonly eventName = 'parley-transcript';

  constructor(detail: ParleyTranscriptDetail) {
    super(ParleyTranscriptEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-transcript': ParleyTranscriptEvent;
  }
}
