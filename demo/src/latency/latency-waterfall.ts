import { h, s, uniqueId } from '../dom.js';
import { formatMs } from '../format.js';
import {
  STAGES,
  axisTicks,
  extentMs,
  waterfallRows,
  type TimedTurn,
  type WaterfallRow,
} from './waterfall-layout.js';

const WIDTH = 720;
const LABEL_WIDTH = 130;
const VALUE_WIDTH = 70;
const AXIS_HEIGHT = 26;
const TITLE_HEIGHT = 22;
const ROW_HEIGHT = 18;
const BAR_HEIGHT = 12;
const TURN_GAP = 10;

function turnHeight(row: WaterfallRow): number {
  return TITLE_HEIGHT + row.bars.length * ROW_HEIGHT + TURN_GAP;
}

function chart(rows: readonly WaterfallRow[]): SVGSVGElement {
  const extent = extentMs(rows);
  const ticks = axisTicks(extent);
  const axisEnd = ticks.at(-1) ?? extent;
  const scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / axisEnd;
  const height = AXIS_HEIGHT + rows.reduce((sum, row) => sum + turnHeight(row), 0);
  const title = s('title', { id: uniqueId('waterfall-title') }, 'Latency per turn');
  const desc = s(
    'desc',
    { id: uniqueId('waterfall-desc') },
    'Horizontal bars from the moment the caller stopped speaking; the table below holds the same numbers.',
  );
  const svg = s('svg', {
    class: 'waterfall',
    viewBox: `0 0 ${WIDTH} ${height}`,
    role: 'img',
    'aria-labelledby': `${title.id} ${desc.id}`,
  });
  svg.append(title, desc);

  for (const tick of ticks) {
    const x = LABEL_WIDTH + tick * scale;
    svg.append(
      s('line', { class: 'grid', x1: x, x2: x, y1: AXIS_HEIGHT - 6, y2: height }),
      s('text', { class: 'tick', x, y: AXIS_HEIGHT - 10, 'text-anchor': 'middle' }, `${tick} ms`),
    );
  }

  let y = AXIS_HEIGHT;
  for (const row of rows) {
    svg.append(s('text', { class: 'turn-title', x: 0, y: y + 15 }, `Turn ${row.seq}`));
    y += TITLE_HEIGHT;
    for (const bar of row.bars) {
      const x = LABEL_WIDTH + bar.startMs * scale;
      const width = Math.max(1, bar.durationMs * scale);
      const middle = y + ROW_HEIGHT / 2;
      svg.append(
        s(
          'text',
          { class: 'stage', x: LABEL_WIDTH - 8, y: middle + 4, 'text-anchor': 'end' },
          bar.label,
        ),
        s('rect', {
          class: `bar bar-${bar.key}`,
          x,
          y: middle - BAR_HEIGHT / 2,
          width,
          height: BAR_HEIGHT,
          rx: 2,
        }),
        s('text', { class: 'value', x: x + width + 4, y: middle + 4 }, formatMs(bar.durationMs)),
      );
      y += ROW_HEIGHT;
    }
    y += TURN_GAP;
  }
  return svg;
}

function table(rows: readonly WaterfallRow[]): HTMLTableElement {
  return h(
    'table',
    { class: 'data-table waterfall-table' },
    h('caption', {}, 'Latency per turn, in milliseconds'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Turn'),
        ...STAGES.map((stage) => h('th', { scope: 'col' }, stage.label)),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map((row) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, String(row.seq)),
          ...STAGES.map((stage) => {
            const bar = row.bars.find((candidate) => candidate.key === stage.key);
            return h('td', {}, bar ? String(Math.round(bar.durationMs)) : '—');
          }),
        ),
      ),
    ),
  );
}

/**
 * The per-turn latency waterfall of a call (end of turn, STT, LLM first token, TTS first byte,
 * end to end) as an inline SVG chart, with a table of the same numbers for screen readers and
 * for copying.
 */
export function latencyWaterfall(turns: readonly TimedTurn[]): HTMLElement {
  const rows = waterfallRows(turns);
  if (rows.length === 0) {
    return h('p', { class: 'waterfall-empty' }, 'No latency recorded for this call yet.');
  }
  return h('figure', { class: 'waterfall-figure' }, chart(rows), table(rows));
}
