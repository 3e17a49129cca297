import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AudioFrame } from '@livekit/rtc-node';
import { ReadableStream } from 'node:stream/web';
import { prependEarlyAudio, recognising } from './early-audio.js';
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
    const delivered: Promise<void>[] = [];
    const out = await collect(
      ReadableStream.from(live).pipeThrough(
        prependEarlyAudio(
          async (format) => {
            asked.push(format);
            // the buffer is still on its way: the live frames must wait
            await new Promise((resolve) => setTimeout(resolve, 20));
            assert.equal(delivered.length, 0, 'not delivered before the early audio answered');
            return early;
          },
          (recognised) => delivered.push(recognised),
        ),
      ),
    );
    assert.deepEqual(out, [...early, ...live]);
    assert.deepEqual(asked, [{ sampleRate: 16_000, channels: 1 }]);
    assert.equal(delivered.length, 1);
    let settled = false;
    void delivered[0]?.then(() => (settled = true));
    // the recogniser takes the frames in order: only the last early one settles the wait
    for (const f of [early[0], live[0]]) if (f) recognising(f);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'not recognised before its last early frame');
    if (early[1]) recognising(early[1]);
    await delivered[0];
  });

  it('when there is no early audio, then the live frames pass as they are', async () => {
    const live = [frame(1), frame(2)];
    const delivered: Promise<void>[] = [];
    const out = await collect(
      ReadableStream.from(live).pipeThrough(
        prependEarlyAudio(
          async () => [],
          (recognised) => delivered.push(recognised),
        ),
      ),
    );
    assert.deepEqual(out, live);
    assert.equal(delivered.length, 1);
    await delivered[0]; // nothing to wait for: settled already
  });

  it('when the early audio fails, then nothing is waited for and the error ends the stream', async () => {
    const delivered: Promise<void>[] = [];
    await assert.rejects(
      collect(
        ReadableStream.from([frame(1)]).pipeThrough(
          prependEarlyAudio(
            async () => Promise.reject(new Error('decoder gone')),
            (recognised) => delivered.push(recognised),
          ),
        ),
      ),
      /decoder gone/,
    );
    assert.equal(delivered.length, 1);
    await delivered[0];
  });
});
