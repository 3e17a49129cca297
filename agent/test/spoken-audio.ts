import type { tts } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import assert from 'node:assert/strict';

/** The RMS of every sample of `frames`, in 16-bit sample units. */
export function framesRms(frames: AudioFrame[]): number {
  let sum = 0;
  let n = 0;
  for (const f of frames) {
    for (const s of f.data) sum += s * s;
    n += f.data.length;
  }
  return Math.sqrt(sum / Math.max(n, 1));
}

/** Every frame a TTS synthesises for `text`. */
export async function synthesizedFrames(engine: tts.TTS, text: string): Promise<AudioFrame[]> {
  const out: AudioFrame[] = [];
  for await (const audio of engine.synthesize(text)) out.push(audio.frame);
  return out;
}

/** `frames` are audible mono speech at `sampleRate`, one to four seconds of it. */
export function assertSpokenSentence(frames: AudioFrame[], sampleRate: number): void {
  assert.ok(frames.length > 10, `got ${frames.length} frames`);
  for (const f of frames) {
    assert.equal(f.sampleRate, sampleRate);
    assert.equal(f.channels, 1);
  }
  const seconds = frames.reduce((s, f) => s + f.samplesPerChannel, 0) / sampleRate;
  assert.ok(seconds > 1 && seconds < 4, `${seconds} s of audio`);
  assert.ok(framesRms(frames) > 500, `rms ${framesRms(frames)} is near silence`);
}
