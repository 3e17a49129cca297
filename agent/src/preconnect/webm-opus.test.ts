import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { readWebmOpus, WebmError } from './webm-opus.js';

/** Chromium's MediaRecorder recording "What are your opening hours?" (0.3 s of silence first). */
export const FIXTURE = new URL('./fixtures/question.webm', import.meta.url);

/** An EBML element: id bytes, a size (8-byte vint, or "unknown"), then the body. */
function element(id: number[], body: Uint8Array | number[], unknownSize = false): Uint8Array {
  const bytes = Uint8Array.from(body);
  const size = unknownSize
    ? [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
    : [0x01, 0, 0, 0, 0, 0, 0, bytes.length];
  return Uint8Array.from([...id, ...size, ...bytes]);
}

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const ascii = (text: string) => [...Buffer.from(text, 'latin1')];

function opusHead(channels: number, preSkip: number): number[] {
  return [
    ...ascii('OpusHead'),
    1,
    channels,
    preSkip & 0xff,
    preSkip >> 8,
    0x80,
    0xbb,
    0,
    0,
    0,
    0,
    0,
  ];
}

function trackEntry(track: number, codec: string, codecPrivate?: number[]): Uint8Array {
  return element(
    [0xae],
    concat(
      element([0xd7], [track]),
      element([0x86], ascii(codec)),
      ...(codecPrivate ? [element([0x63, 0xa2], codecPrivate)] : []),
    ),
  );
}

/** A SimpleBlock of `track` (flags byte `flags`) holding `payload`. */
function simpleBlock(track: number, payload: number[], flags = 0x80): Uint8Array {
  return element([0xa3], [0x80 | track, 0, 0, flags, ...payload]);
}

/** A streamed recording: Segment and Cluster of unknown size, as MediaRecorder writes them. */
function recording(...clusterContent: Uint8Array[]): Uint8Array {
  const header = element([0x1a, 0x45, 0xdf, 0xa3], element([0x42, 0x82], ascii('webm')));
  const tracks = element(
    [0x16, 0x54, 0xae, 0x6b],
    concat(trackEntry(1, 'V_VP8'), trackEntry(2, 'A_OPUS', opusHead(2, 312))),
  );
  const cluster = concat(element([0x1f, 0x43, 0xb6, 0x75], [], true), ...clusterContent);
  return concat(header, element([0x18, 0x53, 0x80, 0x67], [], true), tracks, cluster);
}

describe('readWebmOpus', () => {
  it('reads the Opus track of a Chromium MediaRecorder recording', async () => {
    const track = readWebmOpus(await readFile(FIXTURE));
    assert.equal(track.channels, 1);
    // Chromium records 60 ms packets: about 2.6 s of audio
    assert.ok(track.packets.length >= 40 && track.packets.length <= 46, `${track.packets.length}`);
    assert.ok(track.packets.every((p) => p.length > 0));
  });

  it('keeps the Opus track’s packets in order, skips other tracks, and reads its OpusHead', () => {
    const track = readWebmOpus(
      recording(simpleBlock(2, [1, 2]), simpleBlock(1, [9, 9]), simpleBlock(2, [3])),
    );
    assert.deepEqual(
      track.packets.map((p) => [...p]),
      [[1, 2], [3]],
    );
    assert.equal(track.channels, 2);
    assert.equal(track.preSkip, 312);
  });

  it('when the recording is cut off mid-block, then the complete blocks are kept', () => {
    const whole = recording(simpleBlock(2, [1, 2]), simpleBlock(2, [3, 4, 5]));
    const track = readWebmOpus(whole.subarray(0, whole.length - 2));
    assert.deepEqual(
      track.packets.map((p) => [...p]),
      [[1, 2]],
    );
  });

  it('when a block is laced, then it is refused rather than misread', () => {
    assert.throws(() => readWebmOpus(recording(simpleBlock(2, [1, 2], 0x82))), WebmError);
  });

  it('when the data is not WebM, or has no Opus track, then it is refused', () => {
    assert.throws(() => readWebmOpus(Uint8Array.from(ascii('RIFF....WAVE'))), /not a WebM/);
    const header = element([0x1a, 0x45, 0xdf, 0xa3], []);
    const videoOnly = concat(
      header,
      element([0x18, 0x53, 0x80, 0x67], [], true),
      element([0x16, 0x54, 0xae, 0x6b], trackEntry(1, 'V_VP8')),
    );
    assert.throws(() => readWebmOpus(videoOnly), /no Opus track/);
  });
});
