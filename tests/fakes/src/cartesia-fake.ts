/**
 * A local stand-in for Cartesia's streaming TTS (`/tts/websocket`) that speaks real words with
 * Flite. Clients authenticate with `X-API-Key` (or `?api_key=`) and name an API version with
 * `Cartesia-Version` (or `?cartesia_version=`). Each JSON message carries a `context_id`, a
 * `transcript` and `continue`; the fake answers per context with `chunk` messages (base64 PCM
 * s16le at the requested rate), `timestamps` when `add_timestamps` is set, and `done` once a
 * message with `continue: false` has been spoken. `{ context_id, cancel: true }` stops a context.
 */
import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import { splitWords } from '@parley/agent';
import { type FakeControl, FakeServer, type HttpError } from './fake-server.js';
import { speakPcm } from './speech.js';

export interface CartesiaFakeOptions {
  /** 0 picks a free port. */
  port: number;
  apiKey: string;
  /** The `flite` executable that does the speaking. */
  fliteBin?: string;
  /** Audio per `chunk` message, in milliseconds. */
  chunkMs?: number;
  /**
   * Keep each text's audio once rendered and send it again when asked again (capacity runs ask
   * the same few answers over and over; the fake should cost next to nothing). Flite speaks a
   * text the same way every time, so only the fake's cost changes.
   */
  reuseAudio?: boolean;
}

export type CartesiaFake = FakeControl;

const SAMPLE_RATES = [8000, 16_000, 22_050, 24_000, 44_100, 48_000];

const GenerationSchema = z.object({
  context_id: z.string().min(1),
  model_id: z.string().min(1),
  voice: z.union([
    z.object({ mode: z.literal('id'), id: z.string().min(1) }).passthrough(),
    z.object({ mode: z.literal('embedding'), embedding: z.array(z.number()) }).passthrough(),
  ]),
  output_format: z.object({
    container: z.literal('raw'),
    encoding: z.literal('pcm_s16le'),
    sample_rate: z.number().refine((r) => SAMPLE_RATES.includes(r), 'unsupported sample_rate'),
  }),
  transcript: z.string(),
  continue: z.boolean().default(false),
  add_timestamps: z.boolean().optional(),
  language: z.string().optional(),
});
type Generation = z.infer<typeof GenerationSchema>;

const CancelSchema = z.object({ context_id: z.string().min(1), cancel: z.literal(true) });

export async function startCartesiaFake(options: CartesiaFakeOptions): Promise<CartesiaFake> {
  const checkUpgrade = (req: IncomingMessage): HttpError | undefined => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== '/tts/websocket') return { status: 404, body: { error: 'Not found' } };
    const key = req.headers['x-api-key'] ?? url.searchParams.get('api_key');
    if (key !== options.apiKey) return { status: 401, body: { error: 'Invalid API key' } };
    if (!(req.headers['cartesia-version'] ?? url.searchParams.get('cartesia_version'))) {
      return { status: 400, body: { error: 'Cartesia-Version header is required' } };
    }
    return undefined;
  };
  const fliteBin = options.fliteBin ?? 'flite';
  const rendered = new Map<string, Promise<Int16Array>>();
  const speak: Speak = (text, rate) => {
    if (!options.reuseAudio) return speakPcm(text, { rate, fliteBin });
    const key = `${rate}:${text}`;
    let pcm = rendered.get(key);
    if (!pcm) {
      pcm = speakPcm(text, { rate, fliteBin });
      pcm.catch(() => rendered.delete(key));
      rendered.set(key, pcm);
    }
    return pcm;
  };
  const server = new FakeServer({
    checkUpgrade,
    socket: (ws, _req, drop) => new CartesiaConnection(ws, speak, options.chunkMs ?? 40, drop),
  });
  return server.listen(options.port);
}

type Speak = (text: string, rate: number) => Promise<Int16Array>;

interface Context {
  /** Synthesis runs one message after another. */
  tail: Promise<void>;
  /** Seconds of audio sent so far, for word timestamps. */
  offset: number;
  cancelled: boolean;
}

class CartesiaConnection {
  readonly #contexts = new Map<string, Context>();

  constructor(
    readonly ws: WebSocket,
    readonly speak: Speak,
    readonly chunkMs: number,
    readonly drop: boolean,
  ) {
    ws.on('message', (data) => this.#onMessage(data));
  }

  #onMessage(data: RawData): void {
    let json: unknown;
    try {
      json = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
    } catch {
      return this.#send({
        type: 'error',
        context_id: '',
        status_code: 400,
        done: true,
        error: 'invalid JSON',
      });
    }
    const cancel = CancelSchema.safeParse(json);
    if (cancel.success) {
      const context = this.#contexts.get(cancel.data.context_id);
      if (context) context.cancelled = true;
      return;
    }
    const parsed = GenerationSchema.safeParse(json);
    if (!parsed.success) {
      const contextId = z.object({ context_id: z.string() }).safeParse(json);
      const issue = parsed.error.issues[0];
      return this.#send({
        type: 'error',
        context_id: contextId.success ? contextId.data.context_id : '',
        status_code: 400,
        done: true,
        error: `invalid request: ${issue?.path.join('.')} ${issue?.message}`,
      });
    }
    const request = parsed.data;
    let context = this.#contexts.get(request.context_id);
    if (!context) {
      context = { tail: Promise.resolve(), offset: 0, cancelled: false };
      this.#contexts.set(request.context_id, context);
    }
    const ctx = context;
    ctx.tail = ctx.tail
      .then(() => this.#speak(request, ctx))
      .catch((error: unknown) =>
        this.#send({
          type: 'error',
          context_id: request.context_id,
          status_code: 500,
          done: true,
          error: String(error),
        }),
      );
  }

  async #speak(request: Generation, context: Context): Promise<void> {
    const id = request.context_id;
    const rate = request.output_format.sample_rate;
    if (request.transcript.trim() && !context.cancelled) {
      const started = performance.now();
      const pcm = await this.speak(request.transcript, rate);
      const stepTime = performance.now() - started;
      const step = Math.round((rate * this.chunkMs) / 1000);
      for (let i = 0; i < pcm.length && !context.cancelled; i += step) {
        const part = pcm.subarray(i, i + step);
        const data = Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString('base64');
        this.#send({
          type: 'chunk',
          data,
          done: false,
          status_code: 206,
          step_time: stepTime,
          context_id: id,
        });
        // An outage mid-reply: cut once some speech is out, so the client has played part of it.
        if (this.drop && i + step >= rate * 0.3) return void this.ws.terminate();
        await new Promise((resolve) => setImmediate(resolve));
      }
      const seconds = pcm.length / rate;
      if (request.add_timestamps && !context.cancelled) {
        this.#send({
          type: 'timestamps',
          done: false,
          status_code: 206,
          context_id: id,
          word_timestamps: wordTimestamps(request.transcript, context.offset, seconds),
        });
      }
      context.offset += seconds;
    }
    if (!request.continue && !context.cancelled) {
      this.#send({ type: 'done', done: true, status_code: 200, context_id: id });
      this.#contexts.delete(id);
    }
  }

  #send(message: object): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }
}

/** Word timings spread over the audio by word length (Flite does not report them). */
function wordTimestamps(text: string, offset: number, seconds: number) {
  const words = splitWords(text);
  const letters = words.reduce((n, w) => n + w.length, 0) || 1;
  const start: number[] = [];
  const end: number[] = [];
  let at = offset;
  for (const word of words) {
    start.push(at);
    at += (seconds * word.length) / letters;
    end.push(at);
  }
  return { words, start, end };
}
