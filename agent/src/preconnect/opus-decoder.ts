import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../package-dir.js';

/** Where `make -C agent/native` puts the decoder; `PARLEY_OPUS_DECODE_BIN` overrides it. */
export const DEFAULT_OPUS_DECODER = path.join(REPO_ROOT, '.tools', 'bin', 'parley-opus-decode');

/** Decoded Opus is always 48 kHz. */
export const OPUS_SAMPLE_RATE = 48_000;

/** The decoder could not be started, or rejected the packets. */
export class OpusDecodeError extends Error {
  override readonly name = 'OpusDecodeError';
}

/**
 * Decodes Opus `packets` with `parley-opus-decode` (libopus, see `agent/native/opus-decode.c`)
 * into 48 kHz mono 16-bit PCM, dropping the first `preSkip` samples the encoder primed with.
 */
export function decodeOpus(
  packets: readonly Uint8Array[],
  preSkip: number,
  binPath = process.env.PARLEY_OPUS_DECODE_BIN ?? DEFAULT_OPUS_DECODER,
): Promise<Int16Array> {
  return new Promise((resolve, reject) => {
    const child = spawn(binPath, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) =>
      reject(new OpusDecodeError(`cannot run ${binPath}: ${error.message}`, { cause: error })),
    );
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new OpusDecodeError(stderr.trim() || `${binPath} exited with code ${code}`));
        return;
      }
      // a copy: a pooled Buffer may start at an odd offset, which an Int16Array cannot
      const pcm = new Uint8Array(Buffer.concat(output));
      const samples = new Int16Array(pcm.buffer, 0, pcm.byteLength >> 1);
      resolve(samples.slice(Math.min(preSkip, samples.length)));
    });
    // the decoder exits on its first bad packet: later writes may then fail, the exit code tells
    child.stdin.on('error', () => undefined);
    for (const packet of packets) {
      const header = Buffer.alloc(4);
      header.writeUInt32LE(packet.length);
      child.stdin.write(header);
      child.stdin.write(packet);
    }
    child.stdin.end();
  });
}
