import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { axisTicks, extentMs, waterfallRows } from './waterfall-layout.js';

describe('waterfallRows', () => {
  test('when a spoken turn has every timing, then each stage starts where the previous one hands over', () => {
    const [row] = waterfallRows([
      {
        seq: 2,
        timings: {
          endOfTurnMs: 400,
          transcriptionMs: 150,
          llmFirstTokenMs: 300,
          ttsFirstByteMs: 120,
          e2eMs: 830,
        },
      },
    ]);
    assert.deepEqual(
      row?.bars.map((bar) => [bar.key, bar.startMs, bar.durationMs]),
      [
        ['endOfTurnMs', 0, 400],
        ['transcriptionMs', 0, 150],
        ['llmFirstTokenMs', 400, 300],
        ['ttsFirstByteMs', 700, 120],
        ['e2eMs', 0, 830],
      ],
    );
    assert.equal(row?.seq, 2);
  });

  test('when a turn lacks the caller-side timings (the greeting, typed text), then its LLM bar starts at 0', () => {
    const [row] = waterfallRows([{ seq: 1, timings: { llmFirstTokenMs: 5, ttsFirstByteMs: 40 } }]);
    assert.deepEqual(
      row?.bars.map((bar) => [bar.key, bar.startMs]),
      [
        ['llmFirstTokenMs', 0],
        ['ttsFirstByteMs', 5],
      ],
    );
  });

  test('when a turn has no known timing, then it gets no row; unknown keys are ignored', () => {
    const rows = waterfallRows([
      { seq: 1, timings: {} },
      { seq: 2, timings: { somethingElseMs: 3 } },
      { seq: 3, timings: { e2eMs: 900 } },
    ]);
    assert.deepEqual(
      rows.map((row) => row.seq),
      [3],
    );
  });
});

describe('extentMs and axisTicks', () => {
  test('the extent is the latest bar end over all turns', () => {
    const rows = waterfallRows([
      { seq: 1, timings: { endOfTurnMs: 500, llmFirstTokenMs: 700 } },
      { seq: 2, timings: { e2eMs: 1_100 } },
    ]);
    assert.equal(extentMs(rows), 1_200);
    assert.equal(extentMs([]), 1);
  });

  test('ticks are round steps from 0 that cover the extent', () => {
    assert.deepEqual(axisTicks(1_200), [0, 500, 1_000, 1_500]);
    assert.deepEqual(axisTicks(90), [0, 20, 40, 60, 80, 100]);
  });
});
