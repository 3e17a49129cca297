import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';

/** What the shim (`agent/native/ps-stream.c`) writes, one JSON object per line. */
export const ShimEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), loadMs: z.number(), pid: z.number().optional() }),
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
  /**
   * The PocketSphinx server's socket (`pocketsphinx-server.ts`): streams start there in
   * milliseconds and share its loaded model. Without one, or when it is gone or serves other
   * options, a stream runs a shim process of its own.
   */
  serverSocket?: string;
}

/** The shim failed: could not start, died, or reported an error. */
export class PocketSphinxError extends Error {
  override readonly name = 'PocketSphinxError';
  constructor(
    message: string,
    readonly code: typeof SPAWN_FAILED | 'exited' | 'shim_error' | 'protocol',
  ) {
    super(message);
  }
}

const KIND_AUDIO = 0x41; // 'A'
const KIND_FLUSH = 0x46; // 'F'
const KIND_QUIT = 0x51; // 'Q'
const KIND_CONFIG = 0x43; // 'C': the first frame to the PocketSphinx server

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
 * How a stream reaches its recogniser: the stdin/stdout of a shim process of its own, or a
 * connection to the PocketSphinx server (a child the server forked for it).
 */
interface Channel {
  readonly input: Writable;
  readonly output: Readable;
  /** The exit code (0 once quit), or null when killed. */
  readonly exited: Promise<number | null>;
  readonly killed: boolean;
  kill(): void;
  /** The last lines the recogniser logged, when they can be read (a process of its own). */
  readonly stderrTail: string[];
}

const SPAWN_FAILED = 'spawn_failed';

/**
 * One running recognition stream of `parley-ps-stream`: write 16 kHz mono PCM, read recognition
 * events. `start()` resolves once the model is loaded.
 */
export class PocketSphinxProcess {
  /** Milliseconds the shim reported for loading the model (a forked stream: for starting). */
  readonly loadMs: number;
  /** Milliseconds from asking to ready, as seen from Node. */
  readonly startupMs: number;
  /** The recogniser's pid (with the server: the child it forked for this stream). */
  readonly pid: number | undefined;
  /** Whether the PocketSphinx server serves this stream (rather than a process of its own). */
  readonly served: boolean;
  readonly #channel: Channel;
  readonly #events: AsyncIterator<ShimEvent>;

  private constructor(
    channel: Channel,
    events: AsyncIterator<ShimEvent>,
    ready: { loadMs: number; pid?: number },
    startupMs: number,
    served: boolean,
  ) {
    this.#channel = channel;
    this.#events = events;
    this.loadMs = ready.loadMs;
    this.pid = ready.pid;
    this.startupMs = startupMs;
    this.served = served;
  }

  /**
   * Starts a stream: through the PocketSphinx server at `opts.serverSocket` when there is one
   * that serves these options, else in a shim process of its own.
   */
  static async start(opts: PocketSphinxProcessOptions): Promise<PocketSphinxProcess> {
    if (opts.serverSocket) {
      try {
        return await PocketSphinxProcess.#connect(opts, opts.serverSocket);
      } catch (error) {
        if (!(error instanceof PocketSphinxError && error.code === SPAWN_FAILED)) throw error;
        // No server there (gone, or not for these options): a process of its own serves as well.
      }
    }
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
    const stderrTail = keepStderrTail(child);
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (err) =>
        reject(new PocketSphinxError(`cannot run ${opts.binPath}: ${err.message}`, SPAWN_FAILED)),
      );
    });
    const channel: Channel = {
      input: child.stdin,
      output: child.stdout,
      exited: new Promise((resolve) => child.once('close', resolve)),
      get killed() {
        return child.killed;
      },
      kill() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
      stderrTail,
    };
    return PocketSphinxProcess.#ready(channel, failed, `PocketSphinx (${opts.binPath})`, started);
  }

  static async #connect(
    opts: PocketSphinxProcessOptions,
    socketPath: string,
  ): Promise<PocketSphinxProcess> {
    const started = performance.now();
    const socket = connect(socketPath);
    let quit = false;
    let killed = false;
    const failed = new Promise<never>((_, reject) => {
      socket.once('error', (err) =>
        reject(
          new PocketSphinxError(
            `no PocketSphinx server at ${socketPath}: ${err.message}`,
            SPAWN_FAILED,
          ),
        ),
      );
    });
    const exited = new Promise<number | null>((resolve) =>
      socket.once('close', () => resolve(killed ? null : quit ? 0 : 1)),
    );
    const channel: Channel = {
      input: socket,
      output: socket,
      exited,
      get killed() {
        return killed;
      },
      kill() {
        killed = true;
        socket.destroy();
      },
      stderrTail: ['(the PocketSphinx server logs to the worker)'],
    };
    socket.on('finish', () => (quit = true));
    const config = [
      `partial_ms=${opts.partialIntervalMs ?? 200}`,
      `bias_weight=${opts.biasWeight ?? 0.3}`,
      `vad_postspeech=${opts.vadPostspeechFrames ?? 30}`,
      ...(opts.biasLanguageModel ? ['bias_lm', opts.biasLanguageModel] : []),
    ].join('\n');
    writeFrame(socket, KIND_CONFIG, Buffer.from(config, 'utf8'));
    try {
      return await PocketSphinxProcess.#ready(
        channel,
        failed,
        'the PocketSphinx server',
        started,
        true,
      );
    } catch (error) {
      // A server that refuses these options (another model, another end of speech): not for us.
      if (error instanceof PocketSphinxError && error.code === 'shim_error') {
        throw new PocketSphinxError(error.message, SPAWN_FAILED);
      }
      throw error;
    }
  }

  static async #ready(
    channel: Channel,
    failed: Promise<never>,
    what: string,
    started: number,
    served = false,
  ): Promise<PocketSphinxProcess> {
    failed.catch(() => {});
    // A write after the recogniser died surfaces as EPIPE; the exit is reported instead.
    channel.input.on('error', () => {});
    const events = readEvents(channel.output)[Symbol.asyncIterator]();
    const first = await Promise.race([events.next(), failed]).catch((error: unknown) => {
      channel.kill();
      throw error;
    });
    if (first.done || first.value.type !== 'ready') {
      const reason = first.done
        ? `exited with ${await channel.exited}: ${tail(channel.stderrTail)}`
        : first.value.type === 'error'
          ? first.value.message
          : `unexpected first event '${first.value.type}'`;
      channel.kill();
      throw new PocketSphinxError(`${what} did not start: ${reason}`, 'shim_error');
    }
    return new PocketSphinxProcess(
      channel,
      events,
      first.value,
      performance.now() - started,
      served,
    );
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
    this.#channel.input.end();
  }

  kill(): void {
    this.#channel.kill();
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
    const code = await this.#channel.exited;
    if (code !== 0 && !this.#channel.killed) {
      throw new PocketSphinxError(
        `PocketSphinx exited with ${code}: ${tail(this.#channel.stderrTail)}`,
        'exited',
      );
    }
  }

  /** Resolves with the exit code once the process has ended. */
  wait(): Promise<number | null> {
    return this.#channel.exited;
  }

  #send(kind: number, payload?: Buffer): void {
    if (this.#channel.input.writable) writeFrame(this.#channel.input, kind, payload);
  }
}

/** The last chunks a shim wrote to stderr: PocketSphinx logs a lot, this explains a failure. */
export function keepStderrTail(child: ChildProcessWithoutNullStreams): string[] {
  const tail: string[] = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    tail.push(chunk);
    if (tail.length > 20) tail.shift();
  });
  return tail;
}

function writeFrame(input: Writable, kind: number, payload?: Buffer): void {
  const header = Buffer.alloc(5);
  header[0] = kind;
  header.writeUInt32LE(payload?.length ?? 0, 1);
  input.write(payload ? Buffer.concat([header, payload]) : header);
}

/** The last three lines of a process's stderr, on one line. */
export const tail = (lines: string[]) => lines.join('').trim().split('\n').slice(-3).join(' | ');

export async function* readEvents(output: Readable): AsyncGenerator<ShimEvent> {
  const lines = createInterface({ input: output, crlfDelay: Infinity });
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
