import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Mono 16-bit PCM audio. */
export interface Pcm {
  sampleRate: number;
  samples: Int16Array;
}

/** Reads a mono 16-bit PCM WAV file, walking its chunks (flite writes a plain RIFF layout). */
export function parseWav(buf: Buffer): Pcm {
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let offset = 12;
  let sampleRate = 0;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      const channels = buf.readUInt16LE(body + 2);
      const bits = buf.readUInt16LE(body + 14);
      if (channels !== 1 || bits !== 16)
        throw new Error(`need mono 16-bit, got ${channels}ch ${bits}bit`);
      sampleRate = buf.readUInt32LE(body + 4);
    } else if (id === 'data') {
      // A file still being written (a phone's live recording) says 0 or ~0 bytes: take the rest.
      const streaming = size === 0 || size === 0xffffffff;
      const end = streaming ? body + ((buf.length - body) & ~1) : Math.min(body + size, buf.length);
      const samples = new Int16Array(buf.buffer.slice(buf.byteOffset + body, buf.byteOffset + end));
      return { sampleRate, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('no data chunk');
}

export function encodeWav({ sampleRate, samples }: Pcm): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples.byteLength, 40);
  return Buffer.concat([
    header,
    Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength),
  ]);
}

/** Speaks `text` with Debian's Flite (voice slt, 16 kHz) — the test's "visitor". */
export async function synthesize(text: string, file: string): Promise<Pcm> {
  await exec('flite', ['-voice', 'slt', '-t', text, '-o', file]);
  return parseWav(await readFile(file));
}

/**
 * A cough, as far as a microphone can tell: `ms` of loud broadband noise (deterministic) that
 * starts abruptly and dies away.
 */
export function cough(ms: number, sampleRate = 16_000): Pcm {
  const samples = new Int16Array(Math.round((ms * sampleRate) / 1000));
  let seed = 12_345;
  for (let i = 0; i < samples.length; i++) {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    const t = i / samples.length;
    const envelope = t < 0.05 ? t / 0.05 : Math.exp(-(t - 0.05) * 4);
    samples[i] = Math.round(((seed / 0x7fffffff) * 2 - 1) * 14_000 * envelope);
  }
  return { sampleRate, samples };
}

/** Where the sound in `pcm` begins: milliseconds of (near) silence before it. */
export function leadingSilenceMs(pcm: Pcm, threshold = 300): number {
  const window = Math.round(pcm.sampleRate / 100);
  for (let i = 0; i + window <= pcm.samples.length; i += window) {
    if (rms(pcm.samples.subarray(i, i + window)) > threshold) return (i / pcm.sampleRate) * 1000;
  }
  return (pcm.samples.length / pcm.sampleRate) * 1000;
}

/** `before` seconds of silence, the speech, then `after` seconds of silence. */
export function padWithSilence(pcm: Pcm, before: number, after: number): Pcm {
  const lead = Math.round(before * pcm.sampleRate);
  const tail = Math.round(after * pcm.sampleRate);
  const samples = new Int16Array(lead + pcm.samples.length + tail);
  samples.set(pcm.samples, lead);
  return { sampleRate: pcm.sampleRate, samples };
}

export async function writeWav(file: string, pcm: Pcm): Promise<void> {
  await writeFile(file, encodeWav(pcm));
}

/** Root mean square of 16-bit samples, 0…32768. */
export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}
