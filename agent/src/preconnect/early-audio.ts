import type { AudioFrame } from '@livekit/rtc-node';
import { TransformStream } from 'node:stream/web';
import type { FrameFormat } from './pcm-frames.js';

/** Frames to play before the live audio, in the live audio's format. */
export type EarlyAudio = (format: FrameFormat) => Promise<AudioFrame[]>;

/** The last frame of each early audio handed on, and what its arrival at the recogniser settles. */
const lastEarlyFrames = new WeakMap<AudioFrame, () => void>();

/**
 * Passes live frames through, with `early`'s frames put in front: the first live frame waits
 * until `early` has answered (it may wait for a buffer still on its way; later live frames queue
 * up behind it meanwhile), then the early frames go first, in the first frame's format.
 *
 * `onDelivered` is called once, as the early frames are handed on, with a promise that settles
 * when the last of them has reached the recogniser ({@link recognising}); at once when there were
 * none, or `early` failed.
 */
export function prependEarlyAudio(
  early: EarlyAudio,
  onDelivered: (recognised: Promise<void>) => void = () => undefined,
): TransformStream<AudioFrame, AudioFrame> {
  let first = true;
  return new TransformStream<AudioFrame, AudioFrame>({
    transform: async (frame, controller) => {
      if (first) {
        first = false;
        const format = { sampleRate: frame.sampleRate, channels: frame.channels };
        let frames: AudioFrame[] = [];
        try {
          frames = await early(format);
        } finally {
          const last = frames.at(-1);
          onDelivered(
            last
              ? new Promise<void>((resolve) => lastEarlyFrames.set(last, resolve))
              : Promise.resolve(),
          );
        }
        for (const earlier of frames) controller.enqueue(earlier);
      }
      controller.enqueue(frame);
    },
  });
}

/**
 * Told of every frame the recogniser takes (the agent's STT node): the last frame of an early
 * audio settles the promise {@link prependEarlyAudio} handed out for it.
 */
export function recognising(frame: AudioFrame): void {
  const settle = lastEarlyFrames.get(frame);
  if (!settle) return;
  lastEarlyFrames.delete(frame);
  settle();
}
