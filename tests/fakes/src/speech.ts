import { AudioFrame, AudioResampler } from '@livekit/rtc-node';
import { FliteTTS, type FliteVoice } from '@parley/agent';

export { rms } from '@parley/agent';

/** Resamples mono 16-bit PCM; returns the input when the rates match. */
export function resamplePcm(pcm: Int16Array, from: number, to: number): Int16Array {
  if (from === to || pcm.length === 0) return pcm;
  const resampler = new AudioResampler(from, to);
  try {
    const frames = [
      ...resampler.push(new AudioFrame(pcm, from, 1, pcm.length)),
      ...resampler.flush(),
    ];
    return concatPcm(frames.map((f) => f.data));
  } finally {
    resampler.close();
  }
}

export function concatPcm(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export interface SpeakOptions {
  /** Sample rate of the result; Flite speaks at 16 kHz (8 kHz for `kal`). */
  rate?: number;
  voice?: FliteVoice;
  fliteBin?: string;
}

/** Real speech for a text: Flite's voice, resampled to `rate`, as mono 16-bit PCM. */
export async function speakPcm(text: string, opts: SpeakOptions = {}): Promise<Int16Array> {
  const tts = new FliteTTS({ voice: opts.voice ?? 'slt', binPath: opts.fliteBin ?? 'flite' });
  const frames = await tts.render(text, new AbortController().signal);
  const pcm = concatPcm(frames.map((f) => f.data));
  return resamplePcm(pcm, tts.sampleRate, opts.rate ?? tts.sampleRate);
}

/** Cuts PCM into frames of `ms` milliseconds, as a call delivers audio. */
export function toFrames(pcm: Int16Array, rate: number, ms = 10): AudioFrame[] {
  const step = Math.round((rate * ms) / 1000);
  const frames: AudioFrame[] = [];
  for (let i = 0; i < pcm.length; i += step) {
    const data = pcm.slice(i, i + step);
    frames.push(new AudioFrame(data, rate, 1, data.length));
  }
  return frames;
}

/** Speech as a call delivers it: Flite's voice at `rate` (48 kHz by default), in 10 ms frames. */
export async function speakFrames(text: string, rate = 48_000): Promise<AudioFrame[]> {
  return toFrames(await speakPcm(text, { rate }), rate);
}

export function silenceFrames(ms: number, rate = 48_000): AudioFrame[] {
  return toFrames(new Int16Array(Math.round((rate * ms) / 1000)), rate);
}
