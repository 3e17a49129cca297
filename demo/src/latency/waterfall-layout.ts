/**
 * Where each latency bar of a turn sits on the time axis (pure, so it is unit-tested). Time 0 is
 * the moment the caller stopped speaking. Speech recognition and the end-of-turn decision run
 * from there side by side; the reply's first LLM token is asked for once the turn has ended, and
 * speech synthesis starts from that token. End to end spans it all, up to the first audio. These
 * placements follow LiveKit's metric definitions; each bar's length is the measured number.
 */

/** The per-turn timing keys the agent records (agent/src/recording/README.md), in waterfall order. */
export const STAGES = [
  { key: 'endOfTurnMs', label: 'End of turn' },
  { key: 'transcriptionMs', label: 'STT' },
  { key: 'llmFirstTokenMs', label: 'LLM first token' },
  { key: 'ttsFirstByteMs', label: 'TTS first byte' },
  { key: 'e2eMs', label: 'End to end' },
] as const;

export type StageKey = (typeof STAGES)[number]['key'];

export interface Bar {
  key: StageKey;
  label: string;
  startMs: number;
  durationMs: number;
}

export interface WaterfallRow {
  seq: number;
  bars: Bar[];
}

export interface TimedTurn {
  seq: number;
  timings: Readonly<Record<string, number>>;
}

function startOf(key: StageKey, timings: Readonly<Record<string, number>>): number {
  const endOfTurn = timings['endOfTurnMs'] ?? 0;
  switch (key) {
    case 'llmFirstTokenMs':
      return endOfTurn;
    case 'ttsFirstByteMs':
      return endOfTurn + (timings['llmFirstTokenMs'] ?? 0);
    default:
      return 0;
  }
}

/** One row per turn that has at least one known timing; stages it lacks are left out. */
export function waterfallRows(turns: readonly TimedTurn[]): WaterfallRow[] {
  return turns
    .map((turn) => ({
      seq: turn.seq,
      bars: STAGES.flatMap(({ key, label }) => {
        const duration = turn.timings[key];
        return duration === undefined || !Number.isFinite(duration)
          ? []
          : [{ key, label, startMs: startOf(key, turn.timings), durationMs: duration }];
      }),
    }))
    .filter((row) => row.bars.length > 0);
}

/** The latest bar end over all rows (at least 1 ms, so a scale can divide by it). */
export function extentMs(rows: readonly WaterfallRow[]): number {
  let extent = 1;
  for (const row of rows) {
    for (const bar of row.bars) extent = Math.max(extent, bar.startMs + bar.durationMs);
  }
  return extent;
}

const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 60_000];

/** Round tick positions from 0 up to the first at or past `extent`: at most `maxTicks` steps. */
export function axisTicks(extent: number, maxTicks = 5): number[] {
  const step = STEPS.find((candidate) => extent / candidate <= maxTicks) ?? extent / maxTicks;
  const steps = Math.max(1, Math.ceil(extent / step));
  return Array.from({ length: steps + 1 }, (_, index) => index * step);
}
