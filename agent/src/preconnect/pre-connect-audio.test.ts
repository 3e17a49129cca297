import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { initializeLogger } from '@livekit/agents';
import { type AudioFrame, dispose, type Room, TrackSource } from '@livekit/rtc-node';
import { decodeOpus, OpusDecodeError } from './opus-decoder.js';
import {
  PRE_CONNECT_TOPIC,
  PreConnectAudio,
  type PreConnectRoom,
  type PreConnectStream,
} from './pre-connect-audio.js';
import { FIXTURE } from './webm-opus.test.js';
import { readWebmOpus } from './webm-opus.js';

// a LiveKit room is what the worker passes
type RoomFits = Room extends PreConnectRoom ? true : never;
const roomFits: RoomFits = true;

type Handler = (stream: PreConnectStream, participant: { identity: string }) => void;

/** A room with one visitor whose microphone track `trackId` may announce a pre-connect buffer. */
function fakeRoom(trackId: string, announced: boolean) {
  let handler: Handler | undefined;
  const room: PreConnectRoom = {
    registerByteStreamHandler: (topic, h) => {
      assert.equal(topic, PRE_CONNECT_TOPIC);
      handler = h;
    },
    unregisterByteStreamHandler: () => (handler = undefined),
    remoteParticipants: new Map([
      [
        'visitor',
        {
          trackPublications: new Map([
            [
              trackId,
              {
                source: TrackSource.SOURCE_MICROPHONE,
                info: { audioFeatures: announced ? [6] : [] },
              },
            ],
          ]),
        },
      ],
    ]),
  };
  return {
    room,
    send(stream: PreConnectStream) {
      assert.ok(handler, 'no byte stream handler registered');
      handler(stream, { identity: 'visitor' });
    },
  };
}

/** A byte stream as livekit-client sends it, in chunks of 1000 bytes. */
function byteStream(
  data: Uint8Array,
  mimeType: string,
  attributes: Record<string, string>,
): PreConnectStream & { closed: boolean } {
  return {
    info: { mimeType, attributes },
    closed: false,
    async close() {
      this.closed = true;
    },
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < data.length; i += 1000) yield data.subarray(i, i + 1000);
    },
  };
}

/** `seconds` of a 440 Hz tone, as interleaved 16-bit PCM bytes. */
function tone(seconds: number, sampleRate: number, channels: number): Uint8Array {
  const samples = new Int16Array(Math.round(seconds * sampleRate) * channels);
  for (let i = 0; i < samples.length; i++) {
    const t = Math.floor(i / channels) / sampleRate;
    samples[i] = Math.round(8000 * Math.sin(2 * Math.PI * 440 * t));
  }
  return new Uint8Array(samples.buffer);
}

const seconds = (frames: AudioFrame[]) =>
  frames.reduce((sum, f) => sum + f.samplesPerChannel / f.sampleRate, 0);

const rms = (samples: Int16Array) =>
  Math.sqrt(samples.reduce((sum, s) => sum + s * s, 0) / Math.max(1, samples.length));

describe('decodeOpus', () => {
  it('decodes the recording’s packets into its 48 kHz audio: quiet, then the spoken question', async () => {
    const track = readWebmOpus(await readFile(FIXTURE));
    const pcm = await decodeOpus(track.packets, track.preSkip);
    assert.ok(Math.abs(pcm.length / 48_000 - 2.58) < 0.1, `${pcm.length / 48_000} s`);
    const lead = rms(pcm.subarray(0, 0.2 * 48_000));
    const speech = rms(pcm.subarray(0.5 * 48_000, 1.5 * 48_000));
    assert.ok(speech > 2000 && lead < speech / 20, `lead ${lead}, speech ${speech}`);
  });

  it('when a packet is not Opus, then the decoder’s complaint is the error', async () => {
    await assert.rejects(decodeOpus([Uint8Array.from([0xff, 0xff, 0xff])], 0), OpusDecodeError);
  });

  it('when the decoder is missing, then the error names it', async () => {
    await assert.rejects(decodeOpus([], 0, '/nonexistent/parley-opus-decode'), /cannot run/);
  });
});

describe('PreConnectAudio', () => {
  before(() => initializeLogger({ pretty: false, level: 'error' }));
  // The native resampler keeps the process alive until LiveKit's FFI is released.
  after(() => dispose());
  const live = { sampleRate: 24_000, channels: 1 };

  it('when raw PCM arrived before the live audio, then it comes back in the live format', async () => {
    const { room, send } = fakeRoom('TR_mic', true);
    const audio = new PreConnectAudio(room);
    send(
      byteStream(tone(1, 16_000, 2), 'audio/pcm', {
        trackId: 'TR_mic',
        sampleRate: '16000',
        channels: '2',
      }),
    );
    const frames = await audio.take(live);
    assert.ok(Math.abs(seconds(frames) - 1) < 0.02, `${seconds(frames)} s`);
    assert.ok(frames.every((f) => f.sampleRate === 24_000 && f.channels === 1));
    const middle = frames[50];
    assert.ok(middle && rms(middle.data) > 4000, 'the tone survives the downmix and resampling');
    assert.deepEqual(await audio.take(live), [], 'taken once');
  });

  it('when the browser’s WebM/Opus buffer arrives after the live audio asked, then the live audio waits for it', async () => {
    const { room, send } = fakeRoom('TR_mic', true);
    const audio = new PreConnectAudio(room, { timeoutMs: 10_000 });
    const taking = audio.take({ sampleRate: 48_000, channels: 2 });
    send(
      byteStream(await readFile(FIXTURE), 'audio/webm;codecs=opus', {
        trackId: 'TR_mic',
        sampleRate: '48000',
        channels: '1',
      }),
    );
    const frames = await taking;
    assert.ok(Math.abs(seconds(frames) - 2.58) < 0.1, `${seconds(frames)} s`);
    const [frame] = frames;
    assert.equal(frame?.channels, 2);
    assert.equal(frame?.samplesPerChannel, 480);
  });

  it('when no track announces a buffer and none came, then the live audio does not wait', async () => {
    const { room } = fakeRoom('TR_mic', false);
    const audio = new PreConnectAudio(room, { timeoutMs: 60_000 });
    assert.deepEqual(await audio.take(live), []);
  });

  it('when an announced buffer never comes, then the live audio goes on after the timeout', async () => {
    const { room } = fakeRoom('TR_mic', true);
    const audio = new PreConnectAudio(room, { timeoutMs: 50 });
    assert.deepEqual(await audio.take(live), []);
  });

  it('when a buffer cannot be decoded or comes after the live audio, then it is dropped', async () => {
    const { room, send } = fakeRoom('TR_mic', true);
    const audio = new PreConnectAudio(room);
    send(byteStream(Uint8Array.from([1, 2, 3]), 'audio/webm;codecs=opus', { trackId: 'TR_mic' }));
    assert.deepEqual(await audio.take(live), []);
    const late = byteStream(tone(0.1, 16_000, 1), 'audio/pcm', {
      trackId: 'TR_other',
      sampleRate: '16000',
      channels: '1',
    });
    send(late);
    assert.equal(late.closed, true);
  });

  it('unregisters its handler when closed', () => {
    const { room, send } = fakeRoom('TR_mic', true);
    new PreConnectAudio(room).close();
    assert.throws(
      () => send(byteStream(new Uint8Array(0), 'audio/pcm', {})),
      /no byte stream handler/,
    );
    assert.equal(roomFits, true);
  });
});
