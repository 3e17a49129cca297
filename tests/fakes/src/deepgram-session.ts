import { AudioFrame } from '@livekit/rtc-node';
import type { RawData, WebSocket } from 'ws';
import { type ShimEvent, MonoConverter, POCKETSPHINX_SAMPLE_RATE } from '@parley/agent';
import type { StreamRecogniser } from './canned-speech.js';
import {
  metadataMessage,
  resultsMessage,
  speechStartedMessage,
  timedWords,
  utteranceEndMessage,
} from './deepgram-messages.js';

/** The query parameters of `/v1/listen` that the fake acts on. */
export interface ListenParams {
  model: string;
  sampleRate: number;
  channels: number;
  interimResults: boolean;
  vadEvents: boolean;
  punctuate: boolean;
  /** `utterance_end_ms`; undefined = no UtteranceEnd messages. */
  utteranceEndMs?: number;
}

export interface StreamSessionOptions {
  params: ListenParams;
  requestId: string;
  /** A recogniser of its own for the stream: PocketSphinx, or canned transcripts. */
  startRecogniser: () => Promise<StreamRecogniser>;
  /** Deepgram closes a stream that gets neither audio nor a message for this long. */
  idleTimeoutMs: number;
  /** Cut the connection right after the first Results message (an outage mid-stream). */
  drop: boolean;
}

/**
 * One live transcription stream: binary linear16 audio in, Deepgram's JSON messages out. The
 * audio is transcribed by a recogniser of its own (PocketSphinx, or canned transcripts).
 */
export class DeepgramStreamSession {
  readonly #ws: WebSocket;
  readonly #o: StreamSessionOptions;
  readonly #converter = new MonoConverter(POCKETSPHINX_SAMPLE_RATE);
  #proc?: StreamRecogniser;
  /** Audio that arrived while the recogniser was still loading. */
  #backlog: Int16Array[] = [];
  #oddByte?: number;
  #inputSamples = 0;
  #writtenSamples = 0;
  #utteranceStartMs = 0;
  #finalizePending = false;
  #closing = false;
  #idle?: NodeJS.Timeout;

  constructor(ws: WebSocket, options: StreamSessionOptions) {
    this.#ws = ws;
    this.#o = options;
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('close', () => this.#end());
    ws.on('error', () => this.#end());
    this.#touch();
    void this.#run();
  }

  async #run(): Promise<void> {
    try {
      this.#proc = await this.#o.startRecogniser();
      if (this.#ws.readyState !== this.#ws.OPEN) return this.#end();
      for (const pcm of this.#backlog) this.#write(pcm);
      this.#backlog = [];
      if (this.#finalizePending) this.#proc.flush();
      if (this.#closing) this.#proc.quit();
      for await (const event of this.#proc.events()) this.#handle(event);
      const seconds = this.#inputSamples / this.#o.params.sampleRate;
      this.#send(
        metadataMessage(this.#o.requestId, this.#o.params.model, seconds, this.#o.params.channels),
      );
      this.#ws.close(1000);
    } catch (error) {
      // Deepgram reports internal failures by closing with 1011.
      if (this.#ws.readyState === this.#ws.OPEN) this.#ws.close(1011, String(error).slice(0, 120));
    } finally {
      this.#end();
    }
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    this.#touch();
    const bytes = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data);
    if (isBinary) {
      this.#audio(bytes);
      return;
    }
    let type: unknown;
    try {
      type = (JSON.parse(bytes.toString('utf8')) as { type?: unknown }).type;
    } catch {
      return; // Deepgram ignores text that is not a control message
    }
    if (type === 'Finalize') {
      this.#finalizePending = true;
      this.#proc?.flush();
    } else if (type === 'CloseStream') {
      this.#closing = true;
      this.#proc?.quit();
    }
    // KeepAlive only resets the idle timer.
  }

  #audio(bytes: Buffer): void {
    if (this.#closing) return;
    let buf = bytes;
    if (this.#oddByte !== undefined) buf = Buffer.concat([Buffer.from([this.#oddByte]), buf]);
    this.#oddByte = buf.length % 2 ? buf[buf.length - 1] : undefined;
    const usable = buf.length - (buf.length % 2);
    const samples = new Int16Array(usable / 2);
    for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(i * 2);
    const { sampleRate, channels } = this.#o.params;
    const perChannel = Math.floor(samples.length / channels);
    if (perChannel === 0) return;
    this.#inputSamples += perChannel;
    const frame = new AudioFrame(
      samples.subarray(0, perChannel * channels),
      sampleRate,
      channels,
      perChannel,
    );
    const pcm = this.#converter.convert(frame);
    if (this.#proc) this.#write(pcm);
    else this.#backlog.push(pcm);
  }

  #write(pcm: Int16Array): void {
    this.#writtenSamples += pcm.length;
    this.#proc?.writeAudio(pcm);
  }

  #handle(event: ShimEvent): void {
    const { params } = this.#o;
    const nowMs = (this.#writtenSamples * 1000) / POCKETSPHINX_SAMPLE_RATE;
    if (event.type === 'start') {
      this.#utteranceStartMs = event.atMs;
      if (params.vadEvents) this.#send(speechStartedMessage(event.atMs / 1000));
    } else if (event.type === 'partial') {
      if (params.interimResults && event.text) {
        this.#results(event.text, this.#utteranceStartMs, nowMs, false, false, false);
      }
    } else if (event.type === 'final') {
      const fromFinalize = event.reason === 'flush' && this.#finalizePending;
      if (event.reason === 'flush') this.#finalizePending = false;
      if (event.speech && event.text) {
        const speechFinal = event.reason !== 'flush';
        this.#results(event.text, event.startMs, event.endMs, true, speechFinal, fromFinalize);
        if (params.utteranceEndMs !== undefined)
          this.#send(utteranceEndMessage(event.endMs / 1000));
      } else if (fromFinalize) {
        // Deepgram answers every Finalize, with an empty transcript when nothing was said.
        this.#results('', nowMs, nowMs, true, false, true);
      }
    }
  }

  #results(
    text: string,
    startMs: number,
    endMs: number,
    isFinal: boolean,
    speechFinal: boolean,
    fromFinalize: boolean,
  ): void {
    const { params, requestId } = this.#o;
    const words = timedWords(text, startMs / 1000, endMs / 1000, params.punctuate);
    this.#send(
      resultsMessage({
        requestId,
        model: params.model,
        words,
        punctuate: params.punctuate,
        start: startMs / 1000,
        duration: (endMs - startMs) / 1000,
        isFinal,
        speechFinal,
        fromFinalize,
      }),
    );
    if (this.#o.drop) {
      this.#ws.terminate();
      this.#end();
    }
  }

  #send(message: object): void {
    if (this.#ws.readyState === this.#ws.OPEN) this.#ws.send(JSON.stringify(message));
  }

  #touch(): void {
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      // NET-0001: what Deepgram says when a stream goes quiet.
      this.#ws.close(1011, 'NET-0001: did not receive audio data or a text message in time');
    }, this.#o.idleTimeoutMs);
  }

  #end(): void {
    clearTimeout(this.#idle);
    this.#proc?.kill();
    this.#converter.flush();
  }
}
