import type { BundleSize } from '../support/bundle-size.js';
import type { BargeInRun } from './barge-in.js';
import type { ConcurrencyRun } from './concurrency.js';
import type { GreetingBurst } from './greeting-burst.js';
import type { ReceiverFigures } from './page-audio-probe.js';
import { percentile, type Summary } from './stats.js';

/** One figure against its target: `pass` is undefined when it could not be measured. */
export interface Verdict {
  name: string;
  value: string;
  target: string;
  pass?: boolean;
}

/** Median per stage of the agent's turn timings, and of what remains of the measured latency. */
export interface StageBreakdown {
  turns: number;
  endOfTurnMs: number;
  transcriptionMs: number;
  llmFirstTokenMs: number;
  ttsFirstByteMs: number;
  agentMs: number;
  transportAndFrameworkMs: number;
  /** Of it: the page's end of speech → where the agent's VAD placed it (NaN when not logged). */
  inboundMs: number;
  /** Of it: the agent's first reply frame → heard in the page. */
  outboundMs: number;
}

export interface BenchResults {
  measuredAt: string;
  machine: { cpus: number; memoryGb: number; node: string };
  settings: Record<string, unknown>;
  web: {
    voiceToVoice: Summary;
    asked: number;
    unmeasured: number;
    storedTurns: number;
    stages?: StageBreakdown;
    transportAndFramework?: Summary;
    /** Chromium's side of the way out (see tests/bench/page-audio-probe.ts). */
    receiver?: ReceiverFigures;
  };
  /** Through livekit-sip with a real SIP phone, G.722, the offline stack, the shipped persona. */
  phone: {
    persona: string;
    voiceToVoice: Summary;
    asked: number;
    /** INVITE → 200 OK on the caller's phone. */
    answer: Summary;
    /** POST /v1/calls/outbound → the called phone's 200 OK. */
    outboundAnswered: Summary;
  };
  clickToGreeting: Summary & {
    steps: { connectingMs: number; roomJoinedMs: number; agentJoinedMs: number };
  };
  /** Headless callers on the shipped `default` persona: alone, then a burst. */
  greetingAfterDispatch: { alone: GreetingBurst; burst: GreetingBurst };
  /** Headless callers talking over a long answer, on the shipped turn-taking. */
  bargeIn: BargeInRun;
  concurrency: { offline: ConcurrencyRun; cloudFakes?: ConcurrencyRun | { blocked: string } };
  bundles: BundleSize[];
  verdicts: Verdict[];
}

/** Median of the defined values, rounded (NaN when none). */
export function median(values: (number | undefined)[]): number {
  return Math.round(
    percentile(
      values.filter((v): v is number => v !== undefined),
      50,
    ),
  );
}

const ms = (v: number) => (Number.isFinite(v) ? `${v} ms` : 'n/a');

/** A greeting run's p95 after dispatch, against the target; a caller never greeted fails it. */
function greetingVerdict(run: GreetingBurst): Verdict {
  const p95 = run.afterDispatch.p95;
  return {
    name: `greeting after dispatch p95, ${run.calls} calls ${run.spacingMs / 1000} s apart`,
    value: ms(p95),
    target: '≤ 700 ms',
    pass: run.failures > 0 ? false : Number.isFinite(p95) ? p95 <= 700 : undefined,
  };
}

/** One line on a greeting run: what the callers heard, and the agent's own part. */
export function burstLine(run: GreetingBurst): string {
  const how = `${run.calls} calls ${(run.spacingMs / 1000).toFixed(1)} s apart`;
  return (
    `greeting (${how}, ${run.afterJoin.count} greeted, ${run.failures} failed): dispatch → ` +
    `playing p50 ${run.afterDispatch.p50} ms, p95 ${run.afterDispatch.p95} ms, ` +
    `max ${run.afterDispatch.max} ms; caller joined → heard p50 ${run.afterJoin.p50} ms, ` +
    `p95 ${run.afterJoin.p95} ms, max ${run.afterJoin.max} ms`
  );
}

export function verdicts(results: Omit<BenchResults, 'verdicts'>): Verdict[] {
  const { web, clickToGreeting, concurrency, bundles } = results;
  const within = (value: number, limit: number) =>
    Number.isFinite(value) ? value <= limit : undefined;
  const cloud = concurrency.cloudFakes;
  const cloudRun = cloud && 'levels' in cloud ? cloud : undefined;
  // Memory at the most sessions held, or at the largest level tried when none held.
  const atMax =
    cloudRun?.levels.find((l) => l.sessions === cloudRun.maxHeld) ?? cloudRun?.levels.at(-1);
  const list: Verdict[] = [
    {
      name: 'web voice-to-voice p50 (offline)',
      value: ms(web.voiceToVoice.p50),
      target: '≤ 350 ms',
      pass: within(web.voiceToVoice.p50, 350),
    },
    {
      name: 'web voice-to-voice p95 (offline)',
      value: ms(web.voiceToVoice.p95),
      target: '≤ 600 ms',
      pass: within(web.voiceToVoice.p95, 600),
    },
    {
      name: 'transport + framework p50',
      value: ms(web.transportAndFramework?.p50 ?? Number.NaN),
      target: '≤ 60 ms',
      pass: within(web.transportAndFramework?.p50 ?? Number.NaN, 60),
    },
    {
      name: 'phone voice-to-voice p50 (G.722, offline)',
      value: ms(results.phone.voiceToVoice.p50),
      target: '≤ 600 ms',
      pass: within(results.phone.voiceToVoice.p50, 600),
    },
    {
      name: 'phone INVITE → answer p50',
      value: ms(results.phone.answer.p50),
      target: '≤ 1000 ms',
      pass: within(results.phone.answer.p50, 1000),
    },
    {
      name: 'outbound dial → answered p50',
      value: ms(results.phone.outboundAnswered.p50),
      target: 'measured',
      pass: undefined,
    },
    {
      name: 'click-to-greeting p50',
      value: ms(clickToGreeting.p50),
      target: '≤ 700 ms',
      pass: within(clickToGreeting.p50, 700),
    },
    ...Object.values(results.greetingAfterDispatch).map(greetingVerdict),
    {
      name: 'barge-in: talked over → agent silent, p50',
      value: ms(results.bargeIn.stop.p50),
      target: '≤ 250 ms',
      pass: results.bargeIn.notStopped > 0 ? false : within(results.bargeIn.stop.p50, 250),
    },
    {
      name: 'barge-in: "yeah, okay" / a cough cut the answer',
      value: `${results.bargeIn.acknowledgementCut + results.bargeIn.coughCut} of ${results.bargeIn.calls * 2}`,
      target: 'none',
      // Not measured (`--only` left it out) is not met.
      pass:
        results.bargeIn.calls === 0
          ? undefined
          : results.bargeIn.acknowledgementCut + results.bargeIn.coughCut === 0,
    },
    {
      name: 'concurrent sessions, cloud fakes (p95 < 1 s)',
      value: cloudRun ? String(cloudRun.maxHeld) : 'not run',
      target: '≥ 25',
      pass: cloudRun ? cloudRun.maxHeld >= 25 : undefined,
    },
    {
      name: `memory per session, cloud fakes (${atMax?.sessions ?? 0} sessions)`,
      value: atMax ? `${Math.round(atMax.pssPerSessionMb)} MB PSS` : 'n/a',
      target: '≤ 80 MB',
      pass: atMax ? atMax.pssPerSessionMb <= 80 : undefined,
    },
  ];
  for (const bundle of bundles) {
    list.push({
      name: `${bundle.file} (gzip)`,
      value: `${(bundle.gzipBytes / 1000).toFixed(1)} kB`,
      target: `≤ ${bundle.budgetGzipBytes / 1000} kB`,
      pass: bundle.gzipBytes <= bundle.budgetGzipBytes,
    });
  }
  return list;
}

/** The plain-text table `npm run bench` prints. */
export function table(results: BenchResults): string {
  const rows: string[][] = [['measure', 'value', 'target', '']];
  for (const v of results.verdicts) {
    rows.push([v.name, v.value, v.target, v.pass === undefined ? '—' : v.pass ? 'met' : 'MISSED']);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  const out = [line(rows[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  ')];
  out.push(...rows.slice(1).map(line));
  const { web, clickToGreeting } = results;
  out.push('');
  out.push(
    `web voice-to-voice (offline, ${web.voiceToVoice.count} turns of ${web.asked} asked, ` +
      `${web.unmeasured} unmeasured): p50 ${web.voiceToVoice.p50} ms, p95 ${web.voiceToVoice.p95} ms, ` +
      `min ${web.voiceToVoice.min}, max ${web.voiceToVoice.max}`,
  );
  if (web.stages) {
    const s = web.stages;
    out.push(
      `  per stage (medians over ${s.turns} turns): end of turn ${s.endOfTurnMs} ms ` +
        `(final transcript at ${s.transcriptionMs} ms), LLM first token ${s.llmFirstTokenMs} ms, ` +
        `TTS first byte ${s.ttsFirstByteMs} ms → agent ${s.agentMs} ms; ` +
        `transport + framework ${s.transportAndFrameworkMs} ms`,
    );
    const r = web.receiver;
    out.push(
      `  transport + framework split on the shared clock: in (page's end of speech → the VAD's ` +
        `end) ${ms(s.inboundMs)}, out (first reply frame → heard) ${ms(s.outboundMs)}; ` +
        `Chromium's jitter buffer ${ms(r?.jitterBufferMs ?? Number.NaN)} ` +
        `(target ${ms(r?.jitterBufferTargetMs ?? Number.NaN)}), ` +
        `the page's output latency ${ms(r?.outputLatencyMs ?? Number.NaN)} (moves "in" to "out")`,
    );
  }
  const steps = clickToGreeting.steps;
  out.push(
    `click-to-greeting (${clickToGreeting.count} calls): p50 ${clickToGreeting.p50} ms, ` +
      `p95 ${clickToGreeting.p95} ms; medians: microphone + session ${steps.connectingMs} ms, ` +
      `room joined ${steps.roomJoinedMs} ms, agent joined ${steps.agentJoinedMs} ms`,
  );
  const barge = results.bargeIn;
  out.push(
    `barge-in (${barge.calls} calls each): stop p50 ${barge.stop.p50} ms, p95 ${barge.stop.p95} ms, ` +
      `max ${barge.stop.max} ms (${barge.notStopped} not stopped); the agent paused for ` +
      `"yeah, okay" p50 ${barge.acknowledgementGap.p50} ms (max ${barge.acknowledgementGap.max}), ` +
      `for a cough p50 ${barge.coughGap.p50} ms (max ${barge.coughGap.max}), then went on`,
  );
  out.push(burstLine(results.greetingAfterDispatch.alone));
  out.push(burstLine(results.greetingAfterDispatch.burst));
  const { phone } = results;
  out.push(
    `phone (G.722 through livekit-sip, persona '${phone.persona}' as shipped): voice-to-voice ` +
      `p50 ${phone.voiceToVoice.p50} ms, p95 ${phone.voiceToVoice.p95} ms ` +
      `(${phone.voiceToVoice.count} of ${phone.asked} turns measured); INVITE → 200 OK ` +
      `p50 ${phone.answer.p50} ms, p95 ${phone.answer.p95} ms (${phone.answer.count} calls); ` +
      `outbound dial → answered p50 ${phone.outboundAnswered.p50} ms, ` +
      `p95 ${phone.outboundAnswered.p95} ms`,
  );
  for (const [name, run] of Object.entries(results.concurrency)) {
    if (!run) continue;
    if ('blocked' in run) {
      out.push(`concurrency (${name}): ${run.blocked}`);
      continue;
    }
    out.push(`concurrency (${name}): held ${run.maxHeld} sessions with p95 < 1 s`);
    for (const l of run.levels) {
      out.push(
        `  ${String(l.sessions).padStart(3)} sessions: p50 ${l.voiceToVoice.p50} ms, ` +
          `p95 ${l.voiceToVoice.p95} ms, ${l.failures} failures, ${l.wrongAnswers} wrong answers, ` +
          `bench process ${l.generatorCores.toFixed(2)} cores, ` +
          `per session ${l.coresPerSession.toFixed(3)} cores, ${Math.round(l.pssPerSessionMb)} MB PSS ` +
          `(${Math.round(l.rssPerSessionMb)} MB RSS)`,
      );
    }
  }
  return out.join('\n');
}

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * An SVG of the figures: latency bars (p50, p95) against their targets, the per-stage split of
 * a median turn, and p95 voice-to-voice by concurrent sessions.
 */
export function chart(results: BenchResults): string {
  const width = 760;
  const parts: string[] = [];
  let y = 30;
  const text = (x: number, yy: number, body: string, extra = '') =>
    parts.push(`<text x="${x}" y="${yy}" ${extra}>${escape(body)}</text>`);
  text(20, y, 'Parley benchmark — ' + results.measuredAt, 'font-weight="bold" font-size="16"');
  y += 30;

  // 1. Latencies against targets.
  const bars = [
    { name: 'web voice-to-voice', s: results.web.voiceToVoice, target: [350, 600] },
    {
      name: 'transport + framework',
      s: results.web.transportAndFramework,
      target: [60, undefined],
    },
    { name: 'click-to-greeting', s: results.clickToGreeting, target: [700, undefined] },
  ];
  const maxMs = Math.max(
    1000,
    ...bars.flatMap((b) => (b.s ? [b.s.p95] : [])).filter(Number.isFinite),
  );
  const scale = (v: number) => (v / maxMs) * 440;
  text(20, y, 'Latency, ms (bar: p50, outline: p95, red tick: target)', 'font-size="13"');
  y += 12;
  for (const bar of bars) {
    y += 26;
    text(20, y + 4, bar.name, 'font-size="12"');
    if (!bar.s) continue;
    const x0 = 200;
    parts.push(
      `<rect x="${x0}" y="${y - 9}" width="${scale(bar.s.p95)}" height="16" fill="none" stroke="#4a6fa5"/>`,
      `<rect x="${x0}" y="${y - 9}" width="${scale(bar.s.p50)}" height="16" fill="#4a6fa5"/>`,
    );
    for (const target of bar.target) {
      if (target === undefined) continue;
      const tx = x0 + scale(target);
      parts.push(
        `<line x1="${tx}" x2="${tx}" y1="${y - 12}" y2="${y + 10}" stroke="#c0392b" stroke-width="2"/>`,
      );
    }
    text(x0 + scale(bar.s.p95) + 8, y + 4, `p50 ${bar.s.p50} · p95 ${bar.s.p95}`, 'font-size="11"');
  }
  y += 40;

  // 2. The median turn, stage by stage.
  const stages = results.web.stages;
  if (stages) {
    text(20, y, 'Median web turn: where the time goes (ms)', 'font-size="13"');
    y += 18;
    const segments: [string, number, string][] = [
      ['end of turn', stages.endOfTurnMs, '#7f8c8d'],
      ['rest of agent', Math.max(0, stages.agentMs - stages.endOfTurnMs), '#27ae60'],
      ['transport + framework', stages.transportAndFrameworkMs, '#e67e22'],
    ];
    const total = segments.reduce((sum, [, v]) => sum + v, 0) || 1;
    let x = 20;
    for (const [name, value, color] of segments) {
      const w = (value / total) * 700;
      parts.push(`<rect x="${x}" y="${y}" width="${w}" height="20" fill="${color}"/>`);
      text(x + 3, y + 34, `${name} ${value}`, 'font-size="11"');
      x += w;
    }
    y += 60;
  }

  // 3. Concurrency.
  const runs = Object.entries(results.concurrency).flatMap(([name, run]) =>
    run && 'levels' in run && run.levels.length > 0 ? [{ name, run }] : [],
  );
  if (runs.length > 0) {
    text(20, y, 'p95 voice-to-voice (ms) by concurrent sessions; dashed: 1 s', 'font-size="13"');
    y += 10;
    const h = 160;
    const maxSessions = Math.max(...runs.flatMap((r) => r.run.levels.map((l) => l.sessions)), 1);
    const maxP95 = Math.max(
      1200,
      ...runs.flatMap((r) => r.run.levels.map((l) => l.voiceToVoice.p95)).filter(Number.isFinite),
    );
    const px = (s: number) => 60 + (s / maxSessions) * 620;
    const py = (v: number) => y + h - (Math.min(v, maxP95) / maxP95) * h;
    parts.push(
      `<line x1="60" x2="680" y1="${py(1000)}" y2="${py(1000)}" stroke="#c0392b" stroke-dasharray="4 3"/>`,
      `<line x1="60" x2="60" y1="${y}" y2="${y + h}" stroke="#333"/>`,
      `<line x1="60" x2="680" y1="${y + h}" y2="${y + h}" stroke="#333"/>`,
    );
    const colors = ['#4a6fa5', '#8e44ad'];
    runs.forEach(({ name, run }, i) => {
      const color = colors[i % colors.length] as string;
      const points = run.levels
        .filter((l) => Number.isFinite(l.voiceToVoice.p95))
        .map((l) => `${px(l.sessions)},${py(l.voiceToVoice.p95)}`);
      parts.push(
        `<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`,
      );
      text(500, y + 14 + i * 16, `${name} (held ${run.maxHeld})`, `font-size="11" fill="${color}"`);
    });
    for (const l of runs[0]?.run.levels ?? []) {
      text(px(l.sessions) - 4, y + h + 14, String(l.sessions), 'font-size="10"');
    }
    y += h + 30;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" ` +
    `font-family="sans-serif" role="img" aria-label="Parley benchmark results">` +
    `<rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>\n`
  );
}
