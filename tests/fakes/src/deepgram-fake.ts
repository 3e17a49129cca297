/**
 * A local stand-in for Deepgram's speech-to-text API that speaks its wire protocol and
 * transcribes for real with PocketSphinx:
 * - `GET /v1/listen` upgraded to a WebSocket: live transcription (see deepgram-session.ts);
 * - `POST /v1/listen`: pre-recorded transcription of a WAV (or raw linear16) body.
 * Both want `Authorization: Token <key>`. Utterances end after 300 ms of silence (PocketSphinx's
 * VAD) whatever `endpointing` asks for. With `canned`, transcripts come from the phrases it knows
 * instead of PocketSphinx (canned-speech.ts), for capacity runs.
 */
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  type PocketSphinxPaths,
  PocketSphinxProcess,
  type PocketSphinxProcessOptions,
  POCKETSPHINX_SAMPLE_RATE,
  parseWav,
} from '@parley/agent';
import { type CannedSpeech, type StreamRecogniser } from './canned-speech.js';
import { prerecordedResponse, timedWords, type DeepgramWord } from './deepgram-messages.js';
import { DeepgramStreamSession, type ListenParams } from './deepgram-session.js';
import { type FakeControl, FakeServer, type HttpError, readBody, sendJson } from './fake-server.js';
import { resamplePcm } from './speech.js';

export interface DeepgramFakeOptions {
  /** 0 picks a free port. */
  port: number;
  /** The key clients must present. */
  apiKey: string;
  pocketsphinx: PocketSphinxPaths;
  /** Deepgram's NET-0001 timeout: no audio and no KeepAlive for this long closes the stream. */
  idleTimeoutMs?: number;
  /** Transcribe by matching the phrases a capacity run speaks, not with PocketSphinx. */
  canned?: CannedSpeech;
}

export interface DeepgramFake extends FakeControl {
  /** The base URL for the plugin (`ws://127.0.0.1:<port>`). */
  readonly wsUrl: string;
}

export async function startDeepgramFake(options: DeepgramFakeOptions): Promise<DeepgramFake> {
  const recogniser: PocketSphinxProcessOptions = {
    ...options.pocketsphinx,
    vadPostspeechFrames: 30,
    partialIntervalMs: 200,
  };
  const { canned } = options;
  const startRecogniser = async (): Promise<StreamRecogniser> =>
    canned ? canned.recogniser() : PocketSphinxProcess.start(recogniser);
  const checkRequest = (req: IncomingMessage): HttpError | ListenParams => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== '/v1/listen') return { status: 404, body: { err_msg: 'Not found' } };
    if (req.headers.authorization !== `Token ${options.apiKey}`) {
      return {
        status: 401,
        body: {
          err_code: 'INVALID_AUTH',
          err_msg: 'Invalid credentials.',
          request_id: randomUUID(),
        },
      };
    }
    return listenParams(url.searchParams);
  };
  const server = new FakeServer({
    checkUpgrade(req) {
      const checked = checkRequest(req);
      return 'status' in checked ? checked : undefined;
    },
    socket(ws, req, drop) {
      const params = checkRequest(req);
      if ('status' in params) return;
      const requestId = randomUUID();
      new DeepgramStreamSession(ws, {
        params,
        requestId,
        startRecogniser,
        idleTimeoutMs: options.idleTimeoutMs ?? 10_000,
        drop,
      });
    },
    async request(req, res, drop) {
      const params = checkRequest(req);
      if ('status' in params) return sendJson(res, params);
      if (req.method !== 'POST') return sendJson(res, { status: 405, body: { err_msg: 'POST' } });
      const body = await readBody(req);
      const audio = decodeBody(body, req.headers['content-type'], params);
      if (!audio) {
        return sendJson(res, {
          status: 400,
          body: { err_code: 'Bad Request', err_msg: 'unreadable audio' },
        });
      }
      if (drop) return void res.socket?.destroy();
      const words = await transcribe(await startRecogniser(), audio.pcm16k, params.punctuate);
      sendJson(res, {
        status: 200,
        body: prerecordedResponse(
          randomUUID(),
          params.model,
          audio.seconds,
          words,
          params.punctuate,
        ),
      });
    },
  });
  await server.listen(options.port);
  return Object.assign(server, {
    get wsUrl() {
      return server.url.replace(/^http/, 'ws');
    },
  });
}

function listenParams(query: URLSearchParams): ListenParams | HttpError {
  const bool = (key: string) => query.get(key) === 'true';
  const encoding = query.get('encoding');
  if (encoding !== null && encoding !== 'linear16') {
    return {
      status: 400,
      body: { err_code: 'Bad Request', err_msg: `unsupported encoding ${encoding}` },
    };
  }
  const sampleRate = Number(query.get('sample_rate') ?? 16_000);
  const channels = Number(query.get('channels') ?? 1);
  if (
    !Number.isInteger(sampleRate) ||
    sampleRate < 8000 ||
    !Number.isInteger(channels) ||
    channels < 1
  ) {
    return {
      status: 400,
      body: { err_code: 'Bad Request', err_msg: 'bad sample_rate or channels' },
    };
  }
  const utteranceEnd = query.get('utterance_end_ms');
  return {
    model: query.get('model') ?? 'nova-3',
    sampleRate,
    channels,
    interimResults: bool('interim_results'),
    vadEvents: bool('vad_events'),
    punctuate: bool('punctuate') || bool('smart_format'),
    utteranceEndMs: utteranceEnd ? Number(utteranceEnd) : undefined,
  };
}

function decodeBody(
  body: Buffer,
  contentType: string | undefined,
  params: ListenParams,
): { pcm16k: Int16Array; seconds: number } | undefined {
  try {
    const isWav = body.toString('ascii', 0, 4) === 'RIFF' || contentType === 'audio/wav';
    const audio = isWav
      ? parseWav(body)
      : { sampleRate: params.sampleRate, channels: params.channels, samples: toInt16(body) };
    const mono = audio.samples.filter((_, i) => i % audio.channels === 0);
    return {
      pcm16k: resamplePcm(mono, audio.sampleRate, POCKETSPHINX_SAMPLE_RATE),
      seconds: mono.length / audio.sampleRate,
    };
  } catch {
    return undefined;
  }
}

function toInt16(bytes: Buffer): Int16Array {
  const out = new Int16Array(Math.floor(bytes.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2);
  return out;
}

async function transcribe(
  proc: StreamRecogniser,
  pcm16k: Int16Array,
  punctuate: boolean,
): Promise<DeepgramWord[]> {
  try {
    proc.writeAudio(pcm16k);
    proc.quit();
    const words: DeepgramWord[] = [];
    for await (const event of proc.events()) {
      if (event.type === 'final' && event.speech && event.text) {
        words.push(...timedWords(event.text, event.startMs / 1000, event.endMs / 1000, false));
      }
    }
    // Punctuation spans the whole transcript: redo it over all the words at once.
    if (!punctuate || words.length === 0) return words;
    const first = words[0]?.start ?? 0;
    const last = words[words.length - 1]?.end ?? 0;
    const punctuated = timedWords(words.map((w) => w.word).join(' '), first, last, true);
    return words.map((w, i) => ({
      ...w,
      punctuated_word: punctuated[i]?.punctuated_word ?? w.word,
    }));
  } finally {
    proc.kill();
  }
}
