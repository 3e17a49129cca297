/**
 * Turns LiveKit Agents transcription text streams (topic `lk.transcription`) into transcript
 * segments. Pure: no LiveKit or DOM types, so it is unit-tested in Node.
 *
 * What the agent sends (agents-js `ParticipantTranscriptionOutput`):
 * - agent speech: one stream per segment, text arrives as deltas, the header always says
 *   `lk.transcription_final: false` (a delta stream cannot update its header), so the stream's end
 *   is the segment's end;
 * - visitor speech: one short stream per interim result, each carrying the segment's full text so
 *   far, then one stream with `lk.transcription_final: true` and the final text — all with the same
 *   `lk.segment_id`. These are published by the agent, so the sender identity may be the agent's;
 *   `lk.transcribed_track_id` (the visitor's microphone track) is what tells them apart.
 */

export const TRANSCRIPTION_TOPIC = 'lk.transcription';
export const SEGMENT_ID_ATTRIBUTE = 'lk.segment_id';
export const TRANSCRIBED_TRACK_ID_ATTRIBUTE = 'lk.transcribed_track_id';
export const TRANSCRIPTION_FINAL_ATTRIBUTE = 'lk.transcription_final';

export type TranscriptRole = 'user' | 'agent';

export interface TranscriptSegment {
  readonly segmentId: string;
  readonly role: TranscriptRole;
  readonly text: string;
  readonly final: boolean;
}

/** What the assembler needs from a stream's header. */
export interface TranscriptStreamHeader {
  readonly streamId: string;
  readonly segmentId: string;
  readonly role: TranscriptRole;
  /** The header said `lk.transcription_final: true`. */
  readonly final: boolean;
}

/** The local (visitor) participant, as far as telling transcript roles apart goes. */
export interface LocalParticipantView {
  readonly identity: string;
  /** Sids of the tracks the visitor publishes (their microphone). */
  readonly trackSids: ReadonlySet<string>;
}

/** Reads the header of one `lk.transcription` stream. */
export function readStreamHeader(
  info: { readonly id: string; readonly attributes?: Readonly<Record<string, string>> },
  senderIdentity: string,
  local: LocalParticipantView,
): TranscriptStreamHeader {
  const attributes = info.attributes ?? {};
  const transcribedTrackId = attributes[TRANSCRIBED_TRACK_ID_ATTRIBUTE];
  const isUser =
    senderIdentity === local.identity ||
    (transcribedTrackId !== undefined && local.trackSids.has(transcribedTrackId));
  return {
    streamId: info.id,
    // a segment without an id is a stream of its own
    segmentId: attributes[SEGMENT_ID_ATTRIBUTE] ?? info.id,
    role: isUser ? 'user' : 'agent',
    final: attributes[TRANSCRIPTION_FINAL_ATTRIBUTE] === 'true',
  };
}

interface OpenStream {
  readonly header: TranscriptStreamHeader;
  text: string;
}

interface SegmentEntry {
  readonly role: TranscriptRole;
  text: string;
  final: boolean;
  /** The newest stream for this segment; older ones still in flight are stale. */
  latestStreamId: string;
}

export interface TranscriptAssemblerOptions {
  /** Oldest segments are dropped beyond this many, so a long call does not grow without bound. */
  maxSegments: number;
}

const defaultOptions: TranscriptAssemblerOptions = { maxSegments: 200 };

/**
 * Feed it `open` / `append` / `close` per stream, in arrival order; each call returns the segment
 * it changed in a way worth announcing, or `undefined`.
 */
export class TranscriptAssembler {
  readonly #options: TranscriptAssemblerOptions;
  readonly #streams = new Map<string, OpenStream>();
  /** In first-seen order, which is the order they are shown in. */
  readonly #segments = new Map<string, SegmentEntry>();

  constructor(options: Partial<TranscriptAssemblerOptions> = {}) {
    this.#options = { ...defaultOptions, ...options };
    if (!Number.isInteger(this.#options.maxSegments) || this.#options.maxSegments < 1) {
      throw new RangeError('maxSegments must be a positive integer');
    }
  }

  /** Segments with text, oldest first. */
  get segments(): TranscriptSegment[] {
    const result: TranscriptSegment[] = [];
    for (const [segmentId, entry] of this.#segments) {
      if (entry.text !== '') result.push(toSegment(segmentId, entry));
    }
    return result;
  }

  open(header: TranscriptStreamHeader): void {
    const entry = this.#segments.get(header.segmentId);
    // a segment already closed as final does not reopen
    if (entry?.final) return;
    this.#streams.set(header.streamId, { header, text: '' });
    if (entry) {
      entry.latestStreamId = header.streamId;
      return;
    }
    this.#segments.set(header.segmentId, {
      role: header.role,
      text: '',
      final: false,
      latestStreamId: header.streamId,
    });
    this.#trim();
  }

  append(streamId: string, chunk: string): TranscriptSegment | undefined {
    const stream = this.#streams.get(streamId);
    if (!stream) return undefined;
    stream.text += chunk;
    const entry = this.#currentEntry(stream);
    // a final stream is announced once, whole, when it closes
    if (!entry || stream.header.final || stream.text === '') return undefined;
    entry.text = stream.text;
    return toSegment(stream.header.segmentId, entry);
  }

  /** The stream ended (or broke off); what it carried so far is what was said. */
  close(streamId: string): TranscriptSegment | undefined {
    const stream = this.#streams.get(streamId);
    if (!stream) return undefined;
    this.#streams.delete(streamId);
    const entry = this.#currentEntry(stream);
    if (!entry) return undefined;
    const final = stream.header.final || stream.header.role === 'agent';
    // an interim visitor stream ends after every result: its text was announced already
    if (!final) return undefined;
    entry.text = stream.text;
    entry.final = true;
    return entry.text === '' ? undefined : toSegment(stream.header.segmentId, entry);
  }

  /** A whole, final segment that did not come as a stream (text the visitor typed). */
  add(segmentId: string, role: TranscriptRole, text: string): TranscriptSegment | undefined {
    if (text === '' || this.#segments.has(segmentId)) return undefined;
    const entry: SegmentEntry = { role, text, final: true, latestStreamId: segmentId };
    this.#segments.set(segmentId, entry);
    this.#trim();
    return toSegment(segmentId, entry);
  }

  #currentEntry(stream: OpenStream): SegmentEntry | undefined {
    const entry = this.#segments.get(stream.header.segmentId);
    return entry && !entry.final && entry.latestStreamId === stream.header.streamId
      ? entry
      : undefined;
  }

  #trim(): void {
    for (const segmentId of this.#segments.keys()) {
      if (this.#segments.size <= this.#options.maxSegments) return;
      this.#segments.delete(segmentId);
    }
  }
}

function toSegment(segmentId: string, entry: SegmentEntry): TranscriptSegment {
  return { segmentId, role: entry.role, text: entry.text, final: entry.final };
}
