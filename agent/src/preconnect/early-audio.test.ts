import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AudioFrame } from '@livekit/rtc-node';
import { ReadableStream } from 'node:stream/web';
import { prependEarlyAudio } from './early-audio.js';
import type { FrameFormat } from './pcm-frames.js';

const frame = (value: number, sampleRate = 24_000) =>
  new AudioFrame(new Int16Array(240).fill(value), sampleRate, 1, 240);

async function collect(stream: ReadableStream<AudioFrame>): Promise<AudioFrame[]> {
  const frames: AudioFrame[] = [];
  for await (const f of stream) frames.push(f);
  return frames;
}

describe('prependEarlyAudio', () => {
  it('puts the early frames, asked for in the first live frame’s format, before all live frames', async () => {
    const live = [frame(1, 16_000), frame(2, 16_000), frame(3, 16_000)];
    const early = [frame(-1, 16_000), frame(-2, 16_000)];
    const asked: FrameFormat[] = [];
    const out = await collect(
      ReadableStream.from(live).pipeThrough(
        prependEarlyAudio(async (format) => {
          asked.push(format);
          // the buffer is still on its way: the live frames must wait
          await new Promise((resolve) => setTimeout(resolve, 20));
          return early;
        }),
      ),
    );
    assert.deepEqual(out, [...early, ...live]);
    assert.deepEqual(asked, [{ sampleRate: 16_000, channels: 1 }]);
  });

  it('when there is no early audio, then the live frames pass as they are', async () => {
    const live = [frame(1), frame(2)];
    const out = await collect(
      ReadableStream.from(live).pipeThrough(prependEarlyAudio(async () => [])),
    );
    assert.deepEqual(out, live);
  });
});
