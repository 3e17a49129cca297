import { llm, type stt, tts } from '@livekit/agents';
import { EventEmitter } from 'node:events';
import { ReplayingSTTFallback } from './replaying-stt-fallback.js';

/** An engine and the name a persona uses for it (`deepgram`, `offline`, …). */
export interface NamedEngine<T> {
  name: string;
  engine: T;
}

export type Stage = 'stt' | 'llm' | 'tts';

/** An engine of a chain became unavailable (the next one takes over) or came back. */
export interface FallbackEvent {
  stage: Stage;
  engine: string;
  available: boolean;
}

/**
 * One pipeline stage: a single engine, or LiveKit's FallbackAdapter over several (first is
 * preferred, each failure moves on to the next, failed engines are probed and come back). For
 * STT, the adapter also replays to the next engine what the caller said while one was failing.
 */
export interface StageChain<T> {
  /** What the session runs. */
  runner: T;
  members: NamedEngine<T>[];
  /** Calls `listener` on every availability change; returns a function that stops it. */
  watch(listener: (event: FallbackEvent) => void): () => void;
}

/**
 * How quickly a failing engine is given up. An outage never ends the call: an STT outage loses
 * no words (they are replayed to the next engine), a TTS outage at most cuts one reply short.
 */
export const FALLBACK_TUNING = {
  /** One retry (the framework's first comes after 100 ms): a new connection for a live stream. */
  stt: { attemptTimeoutMs: 10_000, maxRetryPerSTT: 1, retryIntervalMs: 500 },
  /** One attempt; the LLM adapter counts in seconds, the timeout comes from config. */
  llm: { maxRetryPerLLM: 0, retryInterval: 0.5 },
  /**
   * No retry: a retried TTS stream has already consumed its text, so after a failure mid-reply
   * it "succeeds" with the reply cut short. Failing instead lets the next reply go to the next
   * engine. Recovery synthesises a test sentence: every 5 s rather than the default 1 s.
   */
  tts: { maxRetryPerTTS: 0, recoveryDelayMs: 5_000 },
} as const;

/**
 * `replayMs`: at most this much of what the caller said while an engine was failing is kept for
 * the next engine (replaying-stt-fallback.ts).
 */
export function sttChain(
  members: NamedEngine<stt.STT>[],
  { replayMs }: { replayMs?: number } = {},
): StageChain<stt.STT> {
  const [first, ...rest] = members;
  if (!first) throw new RangeError('a stage needs at least one engine');
  if (rest.length === 0) return single(first, members);
  const adapter = new ReplayingSTTFallback({
    sttInstances: members.map((m) => m.engine),
    ...FALLBACK_TUNING.stt,
    replayMs,
  });
  return chain(adapter, members, 'stt', 'stt_availability_changed');
}

export function llmChain(
  members: NamedEngine<llm.LLM>[],
  attemptTimeoutMs: number,
): StageChain<llm.LLM> {
  const [first, ...rest] = members;
  if (!first) throw new RangeError('a stage needs at least one engine');
  if (rest.length === 0) return single(first, members);
  const adapter = new llm.FallbackAdapter({
    llms: members.map((m) => m.engine),
    attemptTimeout: attemptTimeoutMs / 1000,
    ...FALLBACK_TUNING.llm,
  });
  return chain(adapter, members, 'llm', 'llm_availability_changed');
}

export function ttsChain(members: NamedEngine<tts.TTS>[]): StageChain<tts.TTS> {
  const [first, ...rest] = members;
  if (!first) throw new RangeError('a stage needs at least one engine');
  if (rest.length === 0) return single(first, members);
  const adapter = new HandledErrorsTTSFallback({
    ttsInstances: members.map((m) => m.engine),
    ...FALLBACK_TUNING.tts,
  });
  return chain(adapter, members, 'tts', 'tts_availability_changed');
}

/**
 * LiveKit's TTS FallbackAdapter with two changes that keep a call alive through an outage:
 * - It re-emits every error of its engines as is, including those it handled by switching
 *   engines and those of its recovery probes. An AgentSession closes after a few unrecoverable
 *   TTS errors in a row, so an outage of the first engine would end the call although the next
 *   engine speaks fine. Here an engine's error is reported as recoverable; the adapter's own
 *   error (every engine failed) stays unrecoverable.
 * - An engine that fails after it started speaking is not marked unavailable (the adapter
 *   cannot switch mid-utterance), so an engine that keeps dying mid-stream would cut every
 *   reply. Here any failed engine is marked unavailable, and the next reply goes to the next
 *   engine while the failed one is probed.
 */
export class HandledErrorsTTSFallback extends tts.FallbackAdapter {
  constructor(opts: ConstructorParameters<typeof tts.FallbackAdapter>[0]) {
    super(opts);
    this.ttsInstances.forEach((engine, index) => {
      engine.removeAllListeners('error');
      engine.on('error', (error) => {
        if (!error.recoverable) this.markUnAvailable(index);
        this.emit('error', { ...error, recoverable: true });
      });
    });
  }
}

function single<T>(only: NamedEngine<T>, members: NamedEngine<T>[]): StageChain<T> {
  return { runner: only.engine, members, watch: () => () => {} };
}

function chain<T>(
  adapter: T & object,
  members: NamedEngine<T>[],
  stage: Stage,
  eventName: string,
): StageChain<T> {
  // The adapters emit availability changes, but their typed event maps do not list them.
  const emitter = emitterOf(adapter);
  return {
    runner: adapter,
    members,
    watch(listener) {
      const handler = (event: unknown) => {
        if (typeof event !== 'object' || event === null) return;
        const engine: unknown = Reflect.get(event, stage);
        const available: unknown = Reflect.get(event, 'available');
        const member = members.find((m) => m.engine === engine);
        if (member && typeof available === 'boolean') {
          listener({ stage, engine: member.name, available });
        }
      };
      emitter.on(eventName, handler);
      return () => emitter.off(eventName, handler);
    },
  };
}

function emitterOf(value: object): EventEmitter {
  if (value instanceof EventEmitter) return value;
  throw new TypeError('expected a LiveKit FallbackAdapter (an EventEmitter)');
}
