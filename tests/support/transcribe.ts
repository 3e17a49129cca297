/**
 * Offline transcription of what a test phone recorded: the recording is cut into utterances at
 * its silences, and each one goes through Debian's PocketSphinx (`pocketsphinx_continuous`, the
 * en-us model) on its own — whole recordings with long silences decode badly.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { resampleLinear } from './sip-phone.js';
import { parseWav, rms, writeWav, type Pcm } from './wav.js';

const exec = promisify(execFile);

/** One stretch of sound in a recording, with where it starts and ends. */
export interface Utterance {
  startMs: number;
  endMs: number;
  text: string;
}

const WINDOW_MS = 20;
/** Quieter than this (of 32768) is silence: a phone line's comfort noise stays far below. */
const SOUND_RMS = 300;
/** A pause this long ends an utterance. */
const GAP_MS = 500;

/** Where the sound is in `pcm`: [startMs, endMs] stretches separated by at least `GAP_MS`. */
export function soundStretches(pcm: Pcm): [number, number][] {
  const window = Math.round((pcm.sampleRate * WINDOW_MS) / 1000);
  const stretches: [number, number][] = [];
  let current: [number, number] | undefined;
  for (let i = 0; i + window <= pcm.samples.length; i += window) {
    const atMs = (i / pcm.sampleRate) * 1000;
    if (rms(pcm.samples.subarray(i, i + window)) < SOUND_RMS) continue;
    if (current && atMs - current[1] <= GAP_MS) current[1] = atMs + WINDOW_MS;
    else stretches.push((current = [atMs, atMs + WINDOW_MS]));
  }
  return stretches.filter(([start, end]) => end - start >= 200);
}

/** Transcribes each utterance of a recorded WAV (any rate: resampled to 16 kHz). */
export async function transcribeRecording(file: string): Promise<Utterance[]> {
  const recorded = parseWav(await readFile(file));
  const pcm: Pcm = { sampleRate: 16_000, samples: resampleLinear(recorded, 16_000) };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-transcribe-'));
  try {
    const utterances: Utterance[] = [];
    for (const [startMs, endMs] of soundStretches(pcm)) {
      const from = Math.max(0, Math.round(((startMs - 300) * 16_000) / 1000));
      const to = Math.round(((endMs + 300) * 16_000) / 1000);
      const part = path.join(dir, `${utterances.length}.wav`);
      await writeWav(part, { sampleRate: 16_000, samples: pcm.samples.slice(from, to) });
      const { stdout } = await exec('pocketsphinx_continuous', [
        '-infile',
        part,
        '-samprate',
        '16000',
        '-logfn',
        '/dev/null',
      ]);
      utterances.push({ startMs, endMs, text: stdout.trim().replace(/\s+/g, ' ') });
    }
    return utterances;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** How many of `expected`'s words (of 3+ letters) the heard text has: 0…1. */
export function wordsHeard(expected: string, heard: string): number {
  const want = (expected.toLowerCase().match(/[a-z']{3,}/g) ?? []).filter((w) => w !== 'the');
  const got = new Set(heard.toLowerCase().match(/[a-z']+/g) ?? []);
  return want.length === 0 ? 0 : want.filter((w) => got.has(w)).length / want.length;
}

/**
 * Whether `heard` is `expected`, as far as the offline transcriber can tell: its general model
 * gets 45–70 % of Flite's words right through a phone codec, while silence or other speech
 * matches almost none of them.
 */
export function heardAs(expected: string, heard: string): boolean {
  return wordsHeard(expected, heard) >= 0.4;
}
