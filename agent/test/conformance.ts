/**
 * The checks every provider passes, cloud or offline, in the spirit of LiveKit's plugin test
 * suites: speech engines by a TTS → STT round trip scored by word error rate, language models by
 * the shape of what they stream (text deltas, tool calls, usage). Each check throws an
 * AssertionError when an engine breaks the contract and returns measurements otherwise;
 * conformance.test.ts runs them over every engine and pair this build has.
 */
import { llm, stt, tts } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { concatPcm, rms, silenceFrames, toFrames } from '@parley/test-fakes';
import { countWordErrors } from '../src/text/word-error-rate.js';

/** Sentences of the kind callers say, used for the round trip. */
export const ROUND_TRIP_SENTENCES = [
  'What are your opening hours?',
  'Do you offer free shipping?',
  'How can I return an item?',
  'Where are you located?',
  'I would like to speak to a human please.',
];

export interface SpokenAudio {
  sampleRate: number;
  pcm: Int16Array;
  seconds: number;
  frames: number;
  /** Words the engine reported timings for. */
  timedWords: number;
  /** Milliseconds from the request to the first audio. */
  firstAudioMs: number;
}

/** Streams `text` through a TTS and checks the audio: its rate, mono, final flag, not silence. */
export async function synthesizeChecked(engine: tts.TTS, text: string): Promise<SpokenAudio> {
  const started = performance.now();
  let firstAudioMs = -1;
  const stream = engine.stream();
  stream.pushText(text);
  stream.flush();
  stream.endInput();
  const audio: tts.SynthesizedAudio[] = [];
  for await (const item of stream) {
    if (item === tts.SynthesizeStream.END_OF_STREAM) continue;
    if (firstAudioMs < 0) firstAudioMs = performance.now() - started;
    audio.push(item);
  }
  stream.close();
  assert.ok(audio.length > 0, `${engine.label} produced no audio for "${text}"`);
  for (const { frame } of audio) {
    assert.equal(frame.sampleRate, engine.sampleRate, `${engine.label} frame rate`);
    assert.equal(frame.channels, 1, `${engine.label} frames are mono`);
  }
  assert.ok(audio[audio.length - 1]?.final, `${engine.label} marks the last frame final`);
  const pcm = concatPcm(audio.map((a) => a.frame.data));
  const seconds = pcm.length / engine.sampleRate;
  assert.ok(rms(pcm) > 0.01, `${engine.label} audio is not silence (rms ${rms(pcm).toFixed(4)})`);
  const words = text.split(/\s+/).length;
  assert.ok(
    seconds > 0.15 * words,
    `${engine.label} speaks ${words} words in ${seconds.toFixed(2)} s`,
  );
  const timedWords = audio.reduce((n, a) => n + (a.timedTranscripts?.length ?? 0), 0);
  return {
    sampleRate: engine.sampleRate,
    pcm,
    seconds,
    frames: audio.length,
    timedWords,
    firstAudioMs,
  };
}

/**
 * A live STT stream fed the way a call feeds it (10 ms frames, silence between utterances):
 * `hear()` sends one utterance and resolves with what was transcribed once transcripts stop
 * arriving.
 */
export class Transcriber {
  readonly events: stt.SpeechEvent[] = [];
  readonly #stream: stt.SpeechStream;
  readonly #reading: Promise<void>;
  #lastEventAt = 0;
  #finals: string[] = [];

  constructor(engine: stt.STT) {
    const stream = engine.stream();
    this.#stream = stream;
    this.#reading = (async () => {
      for await (const event of stream) {
        this.events.push(event);
        this.#lastEventAt = Date.now();
        const text = event.alternatives?.[0]?.text;
        if (event.type === stt.SpeechEventType.FINAL_TRANSCRIPT && text) this.#finals.push(text);
      }
    })();
  }

  async hear(frames: AudioFrame[], { settleMs = 400 } = {}): Promise<string> {
    const rate = frames[0]?.sampleRate ?? 16_000;
    const seen = this.#finals.length;
    for (const frame of [...silenceFrames(300, rate), ...frames, ...silenceFrames(1200, rate)]) {
      this.#stream.pushFrame(frame);
    }
    const audioSeconds = frames.reduce((n, f) => n + f.samplesPerChannel / f.sampleRate, 0);
    const deadline = Date.now() + 8_000 + audioSeconds * 1000;
    const settled = () => this.#finals.length > seen && Date.now() - this.#lastEventAt > settleMs;
    while (Date.now() < deadline && !settled()) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.#finals.slice(seen).join(' ');
  }

  async close(): Promise<void> {
    this.#stream.endInput();
    await Promise.race([this.#reading, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    this.#stream.close();
  }
}

/** Checks the order of a transcription's events: speech starts before any final transcript. */
export function checkSpeechEvents(label: string, events: stt.SpeechEvent[]): void {
  const types = events.map((e) => e.type);
  const start = types.indexOf(stt.SpeechEventType.START_OF_SPEECH);
  const final = types.indexOf(stt.SpeechEventType.FINAL_TRANSCRIPT);
  assert.ok(final >= 0, `${label} gave no final transcript (events: ${types.join(',')})`);
  assert.ok(start >= 0 && start < final, `${label} starts speech before its final transcript`);
  for (const event of events.filter((e) => e.type === stt.SpeechEventType.FINAL_TRANSCRIPT)) {
    const data = event.alternatives?.[0];
    assert.ok(data, `${label} final transcripts carry speech data`);
    assert.ok(data.endTime >= data.startTime, `${label} final transcript times are ordered`);
  }
}

export interface RoundTrip {
  sentences: { reference: string; hypothesis: string }[];
  /** Word errors over reference words, across all sentences. */
  wer: number;
}

/** Speaks each sentence with `speaker` and transcribes it with `listener`. */
export async function roundTrip(
  speaker: tts.TTS,
  listener: stt.STT,
  sentences: readonly string[] = ROUND_TRIP_SENTENCES,
): Promise<RoundTrip> {
  const results: RoundTrip['sentences'] = [];
  let errors = 0;
  let words = 0;
  // One stream for every sentence, as one call would be.
  const transcriber = new Transcriber(listener);
  try {
    for (const reference of sentences) {
      const audio = await synthesizeChecked(speaker, reference);
      const text = await transcriber.hear(toFrames(audio.pcm, audio.sampleRate));
      const counts = countWordErrors(reference, text);
      errors += counts.substitutions + counts.deletions + counts.insertions;
      words += counts.referenceWords;
      results.push({ reference, hypothesis: text });
    }
  } finally {
    await transcriber.close();
  }
  checkSpeechEvents(listener.label, transcriber.events);
  return { sentences: results, wer: words ? errors / words : 0 };
}

/** Collects a chat stream and checks the chunks: one id, assistant role, streamed text. */
export async function checkTextStreaming(
  model: llm.LLM,
  chatCtx: llm.ChatContext,
  toolCtx?: llm.ToolContextLike,
): Promise<{ text: string; chunks: llm.ChatChunk[]; toolCalls: llm.FunctionCall[] }> {
  const chunks: llm.ChatChunk[] = [];
  for await (const chunk of model.chat({ chatCtx, toolCtx })) chunks.push(chunk);
  const deltas = chunks.filter((c) => c.delta);
  assert.ok(deltas.length > 0, `${model.label()} streamed no deltas`);
  for (const chunk of deltas) assert.equal(chunk.delta?.role, 'assistant');
  assert.equal(new Set(chunks.map((c) => c.id)).size, 1, `${model.label()} uses one id per reply`);
  const pieces = deltas.map((c) => c.delta?.content ?? '').filter(Boolean);
  const text = pieces.join('');
  const toolCalls = deltas.flatMap((c) => c.delta?.toolCalls ?? []);
  if (toolCalls.length === 0) {
    assert.ok(text.trim().length > 0, `${model.label()} answered with text`);
    assert.ok(pieces.length > 1, `${model.label()} streams text in pieces, not at once`);
  }
  return { text, chunks, toolCalls };
}

const OrderArgs = z.object({ orderId: z.string().min(1) });

/** A tool for the tool-call checks; asking about an order's status should call it. */
export function orderStatusTool() {
  return {
    check_order_status: llm.tool({
      description: 'Look up the delivery status of an order by its id.',
      parameters: OrderArgs,
      execute: async ({ orderId }) => `Order ${orderId} left the warehouse this morning.`,
    }),
  };
}

/**
 * Asks a question that calls for {@link orderStatusTool} and checks the one call that comes
 * back: a call id, the tool's name and arguments that satisfy its schema. Then it hands the
 * tool's output back and checks that the model answers in text.
 */
export async function checkToolCall(
  model: llm.LLM,
): Promise<{ call: llm.FunctionCall; answer: string }> {
  const tools = orderStatusTool();
  const chatCtx = llm.ChatContext.empty();
  chatCtx.addMessage({ role: 'system', content: 'You help callers with their orders.' });
  chatCtx.addMessage({ role: 'user', content: 'Can you check the status of order 42?' });
  const { toolCalls } = await checkTextStreaming(model, chatCtx, tools);
  assert.equal(toolCalls.length, 1, `${model.label()} makes exactly one tool call`);
  const call = toolCalls[0];
  assert.ok(call);
  assert.ok(call.callId.length > 0, 'the call has an id');
  assert.equal(call.name, 'check_order_status');
  const args = OrderArgs.parse(JSON.parse(call.args));

  chatCtx.insert(call);
  // What the tool would return; the session runs tools, not the model.
  const output = `Order ${args.orderId} left the warehouse this morning.`;
  chatCtx.insert(
    llm.FunctionCallOutput.create({ callId: call.callId, name: call.name, output, isError: false }),
  );
  const { text } = await checkTextStreaming(model, chatCtx, tools);
  return { call, answer: text };
}
