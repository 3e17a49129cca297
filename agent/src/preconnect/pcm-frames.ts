import { AudioFrame, AudioResampler, combineAudioFrames } from '@livekit/rtc-node';

/** Mono 16-bit PCM. */
export interface MonoPcm {
  samples: Int16Array;
  sampleRate: number;
}

/** What the session's audio input carries (its frames' rate and channels). */
export interface FrameFormat {
  sampleRate: number;
  channels: number;
}

/** Frames as long as the ones LiveKit delivers from a track. */
const FRAME_MS = 10;

/** Interleaved PCM of `channels` channels as mono, each sample the mean of its channels. */
export function downmix(interleaved: Int16Array, channels: number): Int16Array {
  if (channels === 1) return interleaved;
  const mono = new Int16Array(Math.floor(interleaved.length / channels));
  for (let i = 0; i < mono.length; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += interleaved[i * channels + c] ?? 0;
    mono[i] = Math.round(sum / channels);
  }
  return mono;
}

function resample(pcm: MonoPcm, sampleRate: number): Int16Array {
  if (pcm.sampleRate === sampleRate || pcm.samples.length === 0) return pcm.samples;
  const resampler = new AudioResampler(pcm.sampleRate, sampleRate, 1);
  try {
    const input = new AudioFrame(pcm.samples, pcm.sampleRate, 1, pcm.samples.length);
    const frames = [...resampler.push(input), ...resampler.flush()];
    return frames.length === 0 ? new Int16Array(0) : combineAudioFrames(frames).data;
  } finally {
    resampler.close();
  }
}

/**
 * `pcm` as 10 ms frames in `format`: resampled, and the mono signal copied into every channel.
 * The last frame may be shorter.
 */
export function toFrames(pcm: MonoPcm, format: FrameFormat): AudioFrame[] {
  const mono = resample(pcm, format.sampleRate);
  const step = Math.round((format.sampleRate * FRAME_MS) / 1000);
  const frames: AudioFrame[] = [];
  for (let start = 0; start < mono.length; start += step) {
    const chunk = mono.subarray(start, start + step);
    const data = new Int16Array(chunk.length * format.channels);
    for (let i = 0; i < chunk.length; i++) {
      data.fill(chunk[i] ?? 0, i * format.channels, (i + 1) * format.channels);
    }
    frames.push(new AudioFrame(data, format.sampleRate, format.channels, chunk.length));
  }
  return frames;
}
