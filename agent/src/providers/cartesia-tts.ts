import { type APIConnectOptions, DEFAULT_API_CONNECT_OPTIONS, tts } from '@livekit/agents';
import * as cartesia from '@livekit/agents-plugin-cartesia';

/**
 * Cartesia's TTS with `synthesize()` going over the same WebSocket as `stream()`. The plugin's
 * own `synthesize()` POSTs to `/tts/bytes` with `node:https`, so it cannot reach an `http://`
 * base URL, and it reads whatever comes back, an error page included, as audio. LiveKit's
 * FallbackAdapter probes a failed engine with `synthesize()`, so that probe has to be right.
 */
export class CartesiaTTS extends cartesia.TTS {
  override synthesize(
    text: string,
    connOptions: APIConnectOptions = DEFAULT_API_CONNECT_OPTIONS,
    abortSignal?: AbortSignal,
  ): tts.ChunkedStream {
    return new StreamedChunkedStream(this, text, connOptions, abortSignal);
  }
}

/**
 * One text spoken through a `stream()`, delivered once it is complete. A failure is reported by
 * that stream as the TTS's `error` event and leaves this one without audio, which the
 * FallbackAdapter counts as a failure (a cut-off reply must not pass its recovery probe). It is
 * not thrown again: a ChunkedStream's failure would surface as an unhandled promise rejection.
 */
class StreamedChunkedStream extends tts.ChunkedStream {
  label = 'parley.CartesiaChunkedStream';
  readonly #tts: CartesiaTTS;
  readonly #connOptions: APIConnectOptions;

  constructor(
    ttsInstance: CartesiaTTS,
    text: string,
    connOptions: APIConnectOptions,
    abortSignal?: AbortSignal,
  ) {
    super(text, ttsInstance, connOptions, abortSignal);
    this.#tts = ttsInstance;
    this.#connOptions = connOptions;
  }

  protected async run(): Promise<void> {
    const stream = this.#tts.stream({ connOptions: this.#connOptions });
    let failed = false;
    const onError = (event: { recoverable: boolean }) => {
      if (!event.recoverable) failed = true;
    };
    const stop = () => stream.close();
    this.#tts.on('error', onError);
    this.abortSignal.addEventListener('abort', stop, { once: true });
    const audio: tts.SynthesizedAudio[] = [];
    try {
      stream.pushText(this.inputText);
      stream.endInput();
      for await (const item of stream) {
        if (item !== tts.SynthesizeStream.END_OF_STREAM) audio.push(item);
      }
    } finally {
      this.#tts.off('error', onError);
      this.abortSignal.removeEventListener('abort', stop);
      stream.close();
    }
    if (failed || this.abortSignal.aborted) return;
    for (const item of audio) this.queue.put(item);
  }
}
