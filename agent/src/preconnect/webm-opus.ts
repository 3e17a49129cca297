/**
 * The Opus packets of a WebM (Matroska) recording, as browsers' `MediaRecorder` writes it
 * (`audio/webm;codecs=opus`): one audio track, SimpleBlocks in Clusters, sizes often "unknown"
 * because the recording was streamed.
 */

/** The recording is not WebM with an Opus track, or uses a feature this reader lacks. */
export class WebmError extends Error {
  override readonly name = 'WebmError';
}

export interface OpusTrack {
  /** Channels of the stream (the decoder mixes them down). */
  channels: number;
  /** Samples at 48 kHz the decoder's output starts with that are not part of the audio. */
  preSkip: number;
  /** The packets, in order. */
  packets: Uint8Array[];
}

const ID = {
  ebml: 0x1a45dfa3,
  segment: 0x18538067,
  cluster: 0x1f43b675,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackNumber: 0xd7,
  codecId: 0x86,
  codecPrivate: 0x63a2,
  blockGroup: 0xa0,
  block: 0xa1,
  simpleBlock: 0xa3,
} as const;

/** Elements whose children are read in place (their own size may be unknown). */
const CONTAINERS: ReadonlySet<number> = new Set([
  ID.segment,
  ID.cluster,
  ID.tracks,
  ID.trackEntry,
  ID.blockGroup,
]);

interface Vint {
  value: number;
  length: number;
  /** All value bits set: the "unknown size" of a streamed element. */
  unknown: boolean;
}

/** An EBML variable-length integer at `offset`; `keepMarker` for element ids. */
function readVint(data: Uint8Array, offset: number, keepMarker: boolean): Vint | undefined {
  const first = data[offset];
  if (first === undefined || first === 0) return undefined;
  const length = Math.clz32(first) - 23;
  if (offset + length > data.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = data[offset + i] ?? 0;
    value = value * 256 + byte;
    allOnes &&= byte === 0xff;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

/** Reads the Opus track of a WebM recording. A recording cut off mid-element keeps what came. */
export function readWebmOpus(data: Uint8Array): OpusTrack {
  if (readVint(data, 0, true)?.value !== ID.ebml) throw new WebmError('not a WebM recording');
  let trackNumber: number | undefined;
  let entryTrack: number | undefined;
  let entryCodec: string | undefined;
  let head: Uint8Array | undefined;
  const blocks: Uint8Array[] = [];

  let offset = 0;
  while (offset < data.length) {
    const id = readVint(data, offset, true);
    const size = id && readVint(data, offset + id.length, false);
    if (!id || !size) break;
    const start = offset + id.length + size.length;
    if (CONTAINERS.has(id.value)) {
      if (id.value === ID.trackEntry) [entryTrack, entryCodec] = [undefined, undefined];
      offset = start;
      continue;
    }
    if (size.unknown) throw new WebmError(`element 0x${id.value.toString(16)} has no size`);
    const end = start + size.value;
    if (end > data.length) break;
    const body = data.subarray(start, end);
    switch (id.value) {
      case ID.trackNumber:
        entryTrack = readUint(body);
        break;
      case ID.codecId:
        entryCodec = new TextDecoder().decode(body);
        break;
      case ID.codecPrivate:
        head = body;
        break;
      case ID.block:
      case ID.simpleBlock:
        blocks.push(body);
        break;
    }
    // a track entry's fields come in any order: settle once it has both
    if (entryCodec === 'A_OPUS' && entryTrack !== undefined) trackNumber ??= entryTrack;
    offset = end;
  }

  if (trackNumber === undefined) throw new WebmError('the recording has no Opus track');
  const opusHead = parseOpusHead(head);
  const packets = blocks.flatMap((block) => {
    const track = readVint(block, 0, false);
    if (!track || track.value !== trackNumber) return [];
    // after the track number: a 16-bit relative timecode, then the flags
    const flags = block[track.length + 2] ?? 0;
    if ((flags & 0x06) !== 0) throw new WebmError('laced blocks are not supported');
    return [block.subarray(track.length + 3)];
  });
  return { ...opusHead, packets };
}

function readUint(bytes: Uint8Array): number {
  return bytes.reduce((value, byte) => value * 256 + byte, 0);
}

/** Channels and pre-skip from the track's `OpusHead` (RFC 7845 §5.1); defaults without one. */
function parseOpusHead(head: Uint8Array | undefined): { channels: number; preSkip: number } {
  if (!head || head.length < 19) return { channels: 1, preSkip: 0 };
  if (new TextDecoder().decode(head.subarray(0, 8)) !== 'OpusHead') {
    throw new WebmError('the Opus track has no OpusHead');
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  return { channels: view.getUint8(9), preSkip: view.getUint16(10, true) };
}
