import type { AudioFrame } from '@livekit/rtc-node';
import { TransformStream } from 'node:stream/web';
import type { FrameFormat } from './pcm-frames.js';

/** Frames to play before the live audio, in the live audio's format. */
export type EarlyAudio = (format: FrameFormat) => Promise<AudioFrame[]>;

/**
 * Passes live frames through, with `early`'s frames put in front: the first live frame waits
 * until `early` has answered (it may wait for a buffer still on its way; later live frames queue
 * up behind it meanwhile), then the early frames go first, in the first frame's format.
 */
export function prependEarlyAudio(early: EarlyAudio): TransformStream<AudioFrame, AudioFrame> {
  let first = true;
  return new TransformStream<AudioFrame, AudioFrame>({
    transform: async (frame, controller) => {
      if (first) {
        first = false;
        const format = { sampleRate: frame.sampleRate, channels: frame.channels };
        for (const earlier of await early(format)) controller.enqueue(earlier);
      }
      controller.enqueue(frame);
    },
  });
}
