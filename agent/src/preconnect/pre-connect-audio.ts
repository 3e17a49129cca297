/**
 * The visitor's pre-connect audio: the widget records the microphone from the moment the call
 * starts, and once the agent is in the room livekit-client sends that recording on the byte
 * stream topic `lk.agent.pre-connect-audio-buffer` (Opus in WebM, or raw PCM from other SDKs),
 * with the track id, sample rate and channels as attributes. LiveKit Agents for Node (1.8)
 * ignores it, so the first words a visitor says while the agent joins would be lost; this module
 * receives it and feeds it to the session ahead of the live microphone.
 */
import { type AudioFrame, type Room, TrackSource } from '@livekit/rtc-node';
import { log, type voice } from '@livekit/agents';
import { decodeOpus, OPUS_SAMPLE_RATE } from './opus-decoder.js';
import { downmix, type FrameFormat, type MonoPcm, toFrames } from './pcm-frames.js';
import { type MicrophoneInputOptions, ParticipantMicrophoneInput } from './microphone-input.js';
import { readWebmOpus } from './webm-opus.js';

export const PRE_CONNECT_TOPIC = 'lk.agent.pre-connect-audio-buffer';
/** `AudioTrackFeature.TF_PRECONNECT_BUFFER`: the publisher recorded a buffer for this track. */
const TF_PRECONNECT_BUFFER = 6;

/** The parts of a byte stream reader this module reads. */
export interface PreConnectStream extends AsyncIterable<Uint8Array> {
  readonly info: { mimeType: string; attributes?: Record<string, string> };
  close(): Promise<void>;
}

/** The parts of a LiveKit `Room` this module uses. */
export interface PreConnectRoom {
  registerByteStreamHandler(
    topic: string,
    handler: (reader: PreConnectStream, participant: { identity: string }) => void,
  ): void;
  unregisterByteStreamHandler(topic: string): void;
  readonly remoteParticipants: ReadonlyMap<
    string,
    {
      readonly trackPublications: ReadonlyMap<
        string,
        { readonly source?: TrackSource; readonly info?: { audioFeatures: readonly number[] } }
      >;
    }
  >;
}

export interface PreConnectAudioOptions {
  /**
   * How long the first live audio waits for a buffer that is announced (by the track's
   * features) or on its way. LiveKit's Python agents wait 3 s.
   */
  timeoutMs: number;
  /** The `parley-opus-decode` executable; `PARLEY_OPUS_DECODE_BIN` or the tools folder. */
  opusDecoder: string | undefined;
}

const defaultOptions: PreConnectAudioOptions = { timeoutMs: 3_000, opusDecoder: undefined };

/** The pre-connect byte stream could not be used. */
export class PreConnectAudioError extends Error {
  override readonly name = 'PreConnectAudioError';
}

const isOpus = (mimeType: string) => /opus|webm/i.test(mimeType);

/**
 * Receives pre-connect audio on `room` (from before `ctx.connect()`: the buffer is sent as soon
 * as the agent joins) and hands it out once, to the first live audio that asks.
 */
export class PreConnectAudio {
  readonly #room: PreConnectRoom;
  readonly #options: PreConnectAudioOptions;
  readonly #logger = log().child({ component: 'pre-connect-audio' });
  /** Decoded buffers by track id (`undefined` when one could not be used). */
  readonly #buffers = new Map<string, Promise<MonoPcm | undefined>>();
  /** `take` was called: later calls get nothing. */
  #taken = false;
  /** `take` has answered: the live audio flows, a buffer arriving now is too late. */
  #done = false;
  #arrived: () => void = () => undefined;

  constructor(room: PreConnectRoom, options: Partial<PreConnectAudioOptions> = {}) {
    this.#room = room;
    this.#options = { ...defaultOptions, ...options };
    room.registerByteStreamHandler(PRE_CONNECT_TOPIC, (stream, { identity }) =>
      this.#receive(stream, identity),
    );
  }

  /**
   * The buffered audio as frames in `format`, once: waits (at most `timeoutMs`) for a buffer on
   * its way or announced by a microphone track; resolves with none when there is none.
   */
  async take(format: FrameFormat): Promise<AudioFrame[]> {
    if (this.#taken) return [];
    this.#taken = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), this.#options.timeoutMs);
    });
    try {
      for (;;) {
        const [first] = this.#buffers.values();
        if (first) {
          const pcm = await Promise.race([first, expired]);
          return pcm && pcm !== 'expired' ? toFrames(pcm, format) : [];
        }
        if (!this.#announced()) return [];
        const arrival = new Promise<void>((resolve) => (this.#arrived = resolve));
        if ((await Promise.race([arrival, expired])) === 'expired') {
          this.#logger.warn('the announced pre-connect audio did not arrive in time');
          return [];
        }
      }
    } finally {
      clearTimeout(timer);
      this.#done = true;
    }
  }

  /** Whether a buffer was received, or is announced by a microphone track. */
  expected(): boolean {
    return this.#buffers.size > 0 || this.#announced();
  }

  close(): void {
    this.#room.unregisterByteStreamHandler(PRE_CONNECT_TOPIC);
  }

  /** Whether a remote microphone track says a pre-connect buffer is coming for it. */
  #announced(): boolean {
    for (const participant of this.#room.remoteParticipants.values()) {
      for (const [sid, publication] of participant.trackPublications) {
        if (
          publication.source === TrackSource.SOURCE_MICROPHONE &&
          publication.info?.audioFeatures.includes(TF_PRECONNECT_BUFFER) &&
          !this.#buffers.has(sid)
        ) {
          return true;
        }
      }
    }
    return false;
  }

  #receive(stream: PreConnectStream, identity: string): void {
    const trackId = stream.info.attributes?.['trackId'];
    if (this.#done || !trackId) {
      this.#logger.warn(
        { identity, trackId },
        trackId
          ? 'pre-connect audio came after the live audio; dropped'
          : 'pre-connect audio without trackId; dropped',
      );
      void stream.close();
      return;
    }
    this.#buffers.set(
      trackId,
      this.#decode(stream).then(
        (pcm) => {
          const seconds = pcm.samples.length / pcm.sampleRate;
          this.#logger.info({ identity, trackId, seconds }, 'pre-connect audio received');
          return pcm;
        },
        (error: unknown) => {
          this.#logger.warn({ identity, trackId, error }, 'pre-connect audio unusable; dropped');
          return undefined;
        },
      ),
    );
    this.#arrived();
  }

  async #decode(stream: PreConnectStream): Promise<MonoPcm> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const data = Buffer.concat(chunks);
    const { mimeType, attributes = {} } = stream.info;
    if (isOpus(mimeType)) {
      const track = readWebmOpus(data);
      const samples = await decodeOpus(track.packets, track.preSkip, this.#options.opusDecoder);
      return { samples, sampleRate: OPUS_SAMPLE_RATE };
    }
    const sampleRate = Number(attributes['sampleRate']);
    const channels = Number(attributes['channels']);
    if (
      !Number.isInteger(sampleRate) ||
      sampleRate <= 0 ||
      !Number.isInteger(channels) ||
      channels <= 0
    ) {
      throw new PreConnectAudioError(
        `raw pre-connect audio (${mimeType}) needs sampleRate and channels, got ${JSON.stringify(attributes)}`,
      );
    }
    // a copy: the chunks' buffer may start at an odd offset, which an Int16Array cannot
    const bytes = new Uint8Array(data);
    const interleaved = new Int16Array(bytes.buffer, 0, bytes.byteLength >> 1);
    return { samples: downmix(interleaved, channels), sampleRate };
  }
}

/** What the worker holds on to: see {@link receivePreConnectAudio}. */
export interface PreConnectAudioReceiver {
  /**
   * Makes the microphone of `participantIdentity` the session's audio input, with the pre-connect
   * audio in front. Call it after the participant has joined and before `session.start()`.
   */
  attach(
    session: { input: { audio: voice.AudioInput | null } },
    participantIdentity: string,
    options?: Partial<MicrophoneInputOptions>,
  ): void;
  /** Whether the visitor sent pre-connect audio, or their microphone track announces it. */
  expected(): boolean;
  /**
   * Settles once the pre-connect audio (if any) has reached the recogniser (the agent's STT node
   * calls `recognising` with every frame), or never will; before {@link attach}, never. Speech the
   * agent starts after it cannot hide the visitor's first words (LiveKit Agents hears nothing for
   * the first 3 s the agent speaks).
   */
  recognised(): Promise<void>;
  /** Stops receiving (at shutdown). */
  close(): void;
}

/**
 * Starts receiving the visitor's pre-connect audio on `room`; call it before `ctx.connect()`.
 *
 * ```ts
 * const preConnect = receivePreConnectAudio(ctx.room);
 * ctx.addShutdownCallback(async () => preConnect.close());
 * await ctx.connect();
 * const participant = await ctx.waitForParticipant();
 * // … create the session …
 * preConnect.attach(session, participant.identity);
 * await session.start({ agent, room: ctx.room, inputOptions: { audioEnabled: false } });
 * ```
 * (`audioEnabled: false` only spares RoomIO building an audio input of its own it would not use.)
 */
export function receivePreConnectAudio(
  room: Room,
  options: Partial<PreConnectAudioOptions> = {},
): PreConnectAudioReceiver {
  const audio = new PreConnectAudio(room, options);
  let attached: (input: ParticipantMicrophoneInput) => void = () => undefined;
  const recognised = new Promise<ParticipantMicrophoneInput>(
    (resolve) => (attached = resolve),
  ).then((input) => input.earlyAudioRecognised);
  return {
    attach(session, participantIdentity, inputOptions = {}) {
      if (session.input.audio) {
        throw new PreConnectAudioError('attach the pre-connect audio before session.start()');
      }
      const input = new ParticipantMicrophoneInput(
        room,
        participantIdentity,
        (format) => audio.take(format),
        inputOptions,
      );
      session.input.audio = input;
      attached(input);
    },
    expected: () => audio.expected(),
    recognised: () => recognised,
    close: () => audio.close(),
  };
}
