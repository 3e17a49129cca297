import { log, type llm, type tts, voice } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { ReadableStream, TransformStream } from 'node:stream/web';
import {
  type CallerHistory,
  type Persona,
  renderTemplate,
  type TemplateValues,
} from '@parley/contracts';
import { personaInstructions } from '../personas/persona-instructions.js';
import {
  floorWatchOf,
  type RecognitionEvent,
  topicsOf,
  withoutBackchannels,
} from '../turn/backchannel.js';
import { callbackBrief, callerMemory } from './caller-memory.js';
import { recognising } from '../preconnect/early-audio.js';

export interface PersonaAgentOptions {
  persona: Persona;
  /** Fills `{{placeholders}}` in the instructions and greeting (variables and built-ins). */
  values: TemplateValues;
  tools: llm.ToolContextLike;
  /** The conversation so far, when this agent takes over a call (a handoff). */
  chatCtx?: llm.ChatContext;
  /** Engines of its own, when they differ from the session's (a handoff to another persona). */
  llm?: llm.LLM;
  tts?: tts.TTS;
  /** Say the persona's greeting when it takes over (handoffs; the first greeting is the worker's). */
  greetOnEnter?: boolean;
  /** What Parley remembers of this caller's earlier calls (web visitor id or phone number). */
  history?: CallerHistory;
}

/** What the agent says when a call starts: the greeting, then the AI disclosure if required. */
export function openingLinesFor(persona: Persona, values: TemplateValues): string[] {
  const greeting = renderTemplate(persona.greeting, values).text;
  const { disclosure } = persona;
  return disclosure.atStart ? [greeting, disclosure.line] : [greeting];
}

/** A persona as a LiveKit agent: its rendered instructions, its tools, its engines. */
export class PersonaAgent extends voice.Agent {
  readonly persona: Persona;
  readonly greeting: string;
  readonly #openingLines: string[];
  readonly #greetOnEnter: boolean;
  /** Words naming what the persona knows about: said over the agent, they take the floor. */
  readonly #isTopic: (word: string) => boolean;

  constructor(options: PersonaAgentOptions) {
    super({
      instructions: [
        renderTemplate(personaInstructions(options.persona), options.values).text,
        callerMemory(options.history),
        callbackBrief(options.values),
      ]
        .filter(Boolean)
        .join('\n\n'),
      tools: options.tools,
      chatCtx: options.chatCtx,
      llm: options.llm,
      tts: options.tts,
      allowInterruptions: options.persona.turnTaking.interruptions,
    });
    this.persona = options.persona;
    this.#openingLines = openingLinesFor(options.persona, options.values);
    this.greeting = this.#openingLines[0] ?? '';
    this.#greetOnEnter = options.greetOnEnter ?? false;
    this.#isTopic = topicsOf(options.persona.knowledge.map((entry) => entry.question));
  }

  /** What the agent says when the call starts: the greeting, then the AI disclosure if required. */
  openingLines(): string[] {
    return [...this.#openingLines];
  }

  override async onEnter(): Promise<void> {
    if (this.#greetOnEnter) this.session.say(this.greeting);
  }

  /**
   * The caller's words, without the backchannels said over the agent (see turn/backchannel.ts);
   * English personas only. The recogniser's frames are told to the pre-connect audio, whose
   * greeting waits for the visitor's early words to get here (see src/preconnect).
   */
  override async sttNode(
    audio: ReadableStream<AudioFrame> | AsyncIterable<AudioFrame>,
    modelSettings: voice.ModelSettings,
  ): Promise<ReadableStream<RecognitionEvent> | null> {
    const frames = (
      audio instanceof ReadableStream ? audio : ReadableStream.from(audio)
    ).pipeThrough(
      new TransformStream<AudioFrame, AudioFrame>({
        transform(frame, controller) {
          recognising(frame);
          controller.enqueue(frame);
        },
      }),
    );
    const events = await super.sttNode(frames, modelSettings);
    // The backchannel words are English ones: in other languages every final transcript counts.
    if (!events || !/^en\b/i.test(this.persona.language)) return events;
    const floor = floorWatchOf(this.session);
    return withoutBackchannels(
      events,
      () => floor.holdsFloor(),
      (text, backchannel) =>
        log().info(
          { text, backchannel },
          backchannel ? 'backchannel over the agent: not a turn' : 'caller spoke over the agent',
        ),
      this.#isTopic,
    );
  }
}
