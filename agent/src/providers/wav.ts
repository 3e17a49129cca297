/** PCM audio read from a RIFF/WAVE file. */
export interface WavAudio {
  sampleRate: number;
  channels: number;
  /** Interleaved signed 16-bit samples. */
  samples: Int16Array;
}

/**
 * Reads a 16-bit PCM WAV file (what flite writes). A data chunk whose declared size runs past the
 * end, as when a writer streams to a pipe, is cut at the end of the buffer.
 */
export function parseWav(buffer: Buffer): WavAudio {
  if (buffer.length < 12 || buffer.toString('ascii', 0, 4) !== 'RIFF') {
    throw new Error('not a RIFF file');
  }
  if (buffer.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAVE file');
  let format: { sampleRate: number; channels: number } | undefined;
  let offset = 12;
  while (offset + 8 <= buffer.length) {
    const id = buffer.toString('ascii', offset, offset + 4);
    const size = buffer.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      const audioFormat = buffer.readUInt16LE(body);
      const bitsPerSample = buffer.readUInt16LE(body + 14);
      if (audioFormat !== 1 || bitsPerSample !== 16) {
        throw new Error(`unsupported WAV encoding (format ${audioFormat}, ${bitsPerSample} bits)`);
      }
      format = {
        channels: buffer.readUInt16LE(body + 2),
        sampleRate: buffer.readUInt32LE(body + 4),
      };
    } else if (id === 'data') {
      if (!format) throw new Error('WAV data chunk before its fmt chunk');
      const end = Math.min(body + size, buffer.length);
      const bytes = Buffer.from(buffer.subarray(body, end - ((end - body) % 2)));
      const samples = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
      return { ...format, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('WAV file has no data chunk');
}
