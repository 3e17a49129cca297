import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';

/** What the shim (`agent/native/ps-stream.c`) writes, one JSON object per line. */
export const ShimEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), loadMs: z.number() }),
  z.object({ type: z.literal('start'), atMs: z.number() }),
  z.object({ type: z.literal('partial'), text: z.string() }),
  z.object({
    type: z.literal('final'),
    text: z.string(),
    reason: z.enum(['silence', 'flush', 'quit']),
    speech: z.boolean(),
    startMs: z.number(),
    endMs: z.number(),
  }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type ShimEvent = z.infer<typeof ShimEventSchema>;

export interface PocketSphinxProcessOptions {
  binPath: string;
  hmmDir: string;
  lmPath: string;
  dictPath: string;
  /** A small model (ARPA text) interpolated with `lmPath`, see `buildBiasLanguageModel`. */
  biasLanguageModel?: string;
  /** Weight of the bias model, 0 < w < 1. */
  biasWeight?: number;
  /** Frames (10 ms) of silence after which PocketSphinx ends an utterance. */
  vadPostspeechFrames?: number;
  /** Audio between partial hypotheses, in milliseconds. */
  partialIntervalMs?: number;
}

/** The shim failed: could not start, died, or reported an error. */
export class PocketSphinxError extends Error {
  override readonly name = 'PocketSphinxError';
  constructor(
    message: string,
    readonly code: 'spawn_failed' | 'exited' | 'shim_error' | 'protocol',
  ) {
    super(message);
  }
}

const KIND_AUDIO = 0x41; // 'A'
const KIND_FLUSH = 0x46; // 'F'
const KIND_QUIT = 0x51; // 'Q'

export function shimArguments(opts: PocketSphinxProcessOptions, biasLmPath?: string): string[] {
  const args = ['-hmm', opts.hmmDir, '-lm', opts.lmPath, '-dict', opts.dictPath];
  if (biasLmPath) {
    args.push('-bias_lm', biasLmPath, '-bias_weight', String(opts.biasWeight ?? 0.3));
  }
  if (opts.vadPostspeechFrames !== undefined) {
    args.push('-vad_postspeech', String(opts.vadPostspeechFrames));
  }
  if (opts.partialIntervalMs !== undefined)
    args.push('-partial_ms', String(opts.partialIntervalMs));
  return args;
}

/**
 * One running `parley-ps-stream`: write 16 kHz mono PCM, read recognition events.
 * `start()` resolves once the model is loaded.
 */
export class PocketSphinxProcess {
  /** Milliseconds the shim reported for loading the model. */
  readonly loadMs: number;
  /** Milliseconds from spawn to ready, as seen from Node (process start + model load). */
  readonly startupMs: number;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #events: AsyncIterator<ShimEvent>;
  readonly #exited: Promise<number | null>;
  readonly #stderrTail: string[];

  private constructor(
    child: ChildProcessWithoutNullStreams,
    events: AsyncIterator<ShimEvent>,
    exited: Promise<number | null>,
    stderrTail: string[],
    loadMs: number,
    startupMs: number,
  ) {
    this.#child = child;
    this.#events = events;
    this.#exited = exited;
    this.#stderrTail = stderrTail;
    this.loadMs = loadMs;
    this.startupMs = startupMs;
  }

  static async start(opts: PocketSphinxProcessOptions): Promise<PocketSphinxProcess> {
    // The shim reads the bias model while it loads; the file is gone again once it is ready.
    const dir = opts.biasLanguageModel ? await mkdtemp(join(tmpdir(), 'parley-ps-')) : undefined;
    try {
      const biasLmPath = dir ? join(dir, 'bias.lm') : undefined;
      if (biasLmPath) await writeFile(biasLmPath, opts.biasLanguageModel ?? '');
      return await PocketSphinxProcess.#spawn(opts, shimArguments(opts, biasLmPath));
    } finally {
      if (dir) await rm(dir, { recursive: true, force: true });
    }
  }

  static async #spawn(
    opts: PocketSphinxProcessOptions,
    args: string[],
  ): Promise<PocketSphinxProcess> {
    const started = performance.now();
    const child = spawn(opts.binPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const stderrTail: string[] = [];
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      // PocketSphinx logs a lot while loading; keep only what explains a failure.
      stderrTail.push(chunk);
      if (stderrTail.length > 20) stderrTail.shift();
    });
    // A write after the shim died surfaces as EPIPE on stdin; the exit is reported instead.
    child.stdin.on('error', () => {});
    const spawnError = new Promise<never>((_, reject) => {
      child.once('error', (err) =>
        reject(new PocketSphinxError(`cannot run ${opts.binPath}: ${err.message}`, 'spawn_failed')),
      );
    });
    spawnError.catch(() => {});
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const events = readEvents(child)[Symbol.asyncIterator]();
    const first = await Promise.race([events.next(), spawnError]);
    if (first.done || first.value.type !== 'ready') {
      const reason = first.done
        ? `exited with ${await exited}: ${stderrTail.join('').trim().split('\n').slice(-3).join(' | ')}`
        : first.value.type === 'error'
          ? first.value.message
          : `unexpected first event '${first.value.type}'`;
      child.kill('SIGKILL');
      throw new PocketSphinxError(
        `PocketSphinx (${opts.binPath}) did not start: ${reason}`,
        'shim_error',
      );
    }
    return new PocketSphinxProcess(
      child,
      events,
      exited,
      stderrTail,
      first.value.loadMs,
      performance.now() - started,
    );
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Sends 16 kHz mono s16le samples. */
  writeAudio(samples: Int16Array): void {
    for (let offset = 0; offset < samples.length; offset += 16_000) {
      const part = samples.subarray(offset, Math.min(offset + 16_000, samples.length));
      this.#send(KIND_AUDIO, Buffer.from(part.buffer, part.byteOffset, part.byteLength));
    }
  }

  /** Ends the current utterance now; exactly one `final` event answers. */
  flush(): void {
    this.#send(KIND_FLUSH);
  }

  /** Asks the shim to report what it has and exit; events end after that. */
  quit(): void {
    this.#send(KIND_QUIT);
    this.#child.stdin.end();
  }

  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGKILL');
    }
  }

  /** The shim's events until it exits; throws if it exits abnormally or reports an error. */
  async *events(): AsyncGenerator<ShimEvent> {
    for (;;) {
      const next = await this.#events.next();
      if (next.done) break;
      if (next.value.type === 'error') {
        throw new PocketSphinxError(next.value.message, 'shim_error');
      }
      yield next.value;
    }
    const code = await this.#exited;
    if (code !== 0 && !this.#child.killed) {
      const tail = this.#stderrTail.join('').trim().split('\n').slice(-3).join(' | ');
      throw new PocketSphinxError(`PocketSphinx exited with ${code}: ${tail}`, 'exited');
    }
  }

  /** Resolves with the exit code once the process has ended. */
  wait(): Promise<number | null> {
    return this.#exited;
  }

  #send(kind: number, payload?: Buffer): void {
    if (!this.#child.stdin.writable) return;
    const header = Buffer.alloc(5);
    header[0] = kind;
    header.writeUInt32LE(payload?.length ?? 0, 1);
    this.#child.stdin.write(payload ? Buffer.concat([header, payload]) : header);
  }
}

async function* readEvents(child: ChildProcessWithoutNullStreams): AsyncGenerator<ShimEvent> {
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new PocketSphinxError(
        `PocketSphinx wrote a line that is not JSON: ${line}`,
        'protocol',
      );
    }
    const parsed = ShimEventSchema.safeParse(json);
    if (!parsed.success) {
      throw new PocketSphinxError(`PocketSphinx wrote an unknown event: ${line}`, 'protocol');
    }
    yield parsed.data;
  }
}
