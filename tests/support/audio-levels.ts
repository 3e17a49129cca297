/**
 * What a page heard, 10 ms at a time, and the turn-taking read from it: when the caller's
 * utterances ended and when the agent's replies became audible (see tests/bench/page-audio-probe.ts,
 * which records it with WebAudio in the page).
 */

/** One 10 ms window of a stream: when it is heard (page `performance.now()` ms) and its RMS (0…1). */
export type Level = [atMs: number, rms: number];

export interface ProbeLog {
  /** The microphone the widget opened (the fake-microphone WAV as the page hears it). */
  mic: Level[];
  /** Every remote audio track (the agent's voice). */
  remote: Level[];
  /** The widget's `parley-state` changes: when (page ms) and which state. */
  states: [atMs: number, state: string][];
  /** The page's `performance.timeOrigin`: page ms + this = epoch ms, the agent's clock too. */
  timeOrigin: number;
}

/** Louder than this (about −40 dBFS) a window is sound; Flite's and the WAV's silence are zeros. */
const SOUND_RMS = 0.01;

export interface Segment {
  startMs: number;
  endMs: number;
}

/**
 * Stretches of sound in a stream: loud windows whose gaps are shorter than `bridgeMs` merge;
 * stretches shorter than `minMs` (clicks) are dropped.
 */
export function soundSegments(windows: Level[], bridgeMs: number, minMs = 100): Segment[] {
  const segments: Segment[] = [];
  let current: Segment | undefined;
  for (const [at, rms] of [...windows].sort((a, b) => a[0] - b[0])) {
    if (rms < SOUND_RMS) continue;
    if (current && at - current.endMs <= bridgeMs) current.endMs = at + 10;
    else {
      if (current) segments.push(current);
      current = { startMs: at, endMs: at + 10 };
    }
  }
  if (current) segments.push(current);
  return segments.filter((s) => s.endMs - s.startMs >= minMs);
}

export interface MeasuredTurn {
  /** Which utterance of the microphone this is (0-based), measured or not. */
  utterance: number;
  /** When the caller's speech ended, as heard in the page. */
  speechEndMs: number;
  /** When the agent's reply first became audible in the page. */
  replyStartMs: number;
  voiceToVoiceMs: number;
}

export interface Measured {
  turns: MeasuredTurn[];
  /** Utterances the microphone played. */
  utterances: number;
  /** Of them, spoken while a reply was still playing (or with no reply before the next). */
  unmeasured: number;
}

/**
 * Pairs each utterance of the microphone with the first agent sound after it (and before the
 * next utterance). An utterance the agent talked over (a reply still playing) is not measured.
 */
export function voiceToVoice(log: ProbeLog): Measured {
  // Words of one utterance are a few hundred ms apart at most; replies start 300 ms+ after.
  const utterances = soundSegments(log.mic, 400, 300);
  const replies = soundSegments(log.remote, 250);
  const turns: MeasuredTurn[] = [];
  utterances.forEach((utterance, index) => {
    const nextStart = utterances[index + 1]?.startMs ?? Infinity;
    const overlapping = replies.some(
      (r) => r.startMs < utterance.endMs && r.endMs > utterance.startMs,
    );
    const reply = replies.find((r) => r.startMs >= utterance.endMs && r.startMs < nextStart);
    if (overlapping || !reply) return;
    turns.push({
      utterance: index,
      speechEndMs: utterance.endMs,
      replyStartMs: reply.startMs,
      voiceToVoiceMs: reply.startMs - utterance.endMs,
    });
  });
  return { turns, utterances: utterances.length, unmeasured: utterances.length - turns.length };
}

/** The first agent sound heard after `sinceMs`. */
export function firstSoundAfter(windows: Level[], sinceMs: number): number | undefined {
  return soundSegments(windows, 250).find((s) => s.startMs >= sinceMs)?.startMs;
}
