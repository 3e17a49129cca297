import { type tts, voice } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';

/** What an AgentSession does to the text it speaks unless told otherwise (LiveKit's default). */
const SESSION_TEXT_TRANSFORMS = ['filter_markdown', 'filter_emoji'] as const;

/** Longest a line waits for its audio before it is spoken the usual way (through the TTS then). */
const WAIT_MS = 5_000;

interface Logger {
  warn(obj: object, msg: string): void;
}

/** The text an AgentSession would hand its TTS for `text`. */
async function spokenText(text: string): Promise<string> {
  const transformed = voice.textTransforms.applyTextTransforms(
    new ReadableStream<string>({
      start(controller) {
        controller.enqueue(text);
        controller.close();
      },
    }),
    SESSION_TEXT_TRANSFORMS,
  );
  let spoken = '';
  for await (const chunk of transformed) spoken += chunk;
  return spoken;
}

function streamOf(frames: readonly AudioFrame[]): ReadableStream<AudioFrame> {
  return new ReadableStream<AudioFrame>({
    start(controller) {
      for (const frame of frames) controller.enqueue(frame);
      controller.close();
    },
  });
}

/**
 * Lines synthesized before the session starts: the greeting is known once the persona has
 * loaded, so its audio is rendered while the agent is still joining the room, and the caller
 * hears it as soon as the agent's track is subscribed, not a synthesis later. A job's first
 * seconds keep its event loop busy (joining, starting the session, the caller's first audio):
 * rendered then, a short Flite greeting took about a second.
 */
export class PrerenderedSpeech {
  readonly #engine: tts.TTS;
  readonly #logger: Logger;
  readonly #lines = new Map<string, Promise<AudioFrame[] | undefined>>();

  constructor(engine: tts.TTS, logger: Logger) {
    this.#engine = engine;
    this.#logger = logger;
  }

  /** Starts rendering `lines`; a line that fails to render is later spoken the usual way. */
  prepare(lines: readonly string[]): void {
    for (const line of lines) {
      if (!this.#lines.has(line)) this.#lines.set(line, this.#render(line));
    }
  }

  /**
   * Says `lines` in order, each with its prepared audio when one was prepared for exactly that
   * text (a greeting naming the phone caller, for one, may differ from what was prepared).
   */
  async sayAll(session: voice.AgentSession, lines: readonly string[]): Promise<void> {
    for (const line of lines) {
      const frames = await this.#ready(line);
      session.say(line, frames ? { audio: streamOf(frames) } : undefined);
    }
  }

  async #ready(line: string): Promise<AudioFrame[] | undefined> {
    const rendering = this.#lines.get(line);
    if (!rendering) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), WAIT_MS);
    });
    try {
      return await Promise.race([rendering, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async #render(line: string): Promise<AudioFrame[] | undefined> {
    let stream: tts.ChunkedStream | undefined;
    try {
      stream = this.#engine.synthesize(await spokenText(line));
      const frames: AudioFrame[] = [];
      for await (const audio of stream) frames.push(audio.frame);
      return frames.length > 0 ? frames : undefined;
    } catch (error) {
      this.#logger.warn(
        { err: String(error) },
        'cannot prepare a line; it is synthesized when said',
      );
      return undefined;
    } finally {
      stream?.close();
    }
  }
}
