/**
 * The load run's pass/fail rules, as pure functions of what the visitors lived through, what
 * the server stored and how memory moved. Each failure is one line a reader can act on.
 */
import type { StoredCall } from '../support/calls.js';
import type { MemoryTrend } from '../support/process-stats.js';
import type { CallLog } from './caller.js';

/** What the visitor of a call should find in its record. */
export function expectedRecord(call: CallLog): { outcome: string; callerTurns: number } {
  return {
    outcome: call.turns.length > 0 ? 'completed' : 'abandoned',
    callerTurns: call.turns.length,
  };
}

function label(call: CallLog): string {
  return call.roomName ? `call ${call.roomName}` : `slot ${call.slot} call at ${call.startedAt}`;
}

/** What the persona says on its own, which a visitor may hear in place of an answer. */
export interface PersonaLines {
  /** Said after a silence: when it is what the visitor heard, the agent missed their turn. */
  repromptLine: string;
}

/**
 * Failures of one call as the visitor lived it: not served, dropped, turns left unanswered or
 * met with the silence reprompt.
 */
function visitorFailures(call: CallLog, lines: PersonaLines): string[] {
  const failures: string[] = [];
  const name = label(call);
  if (call.dropped) failures.push(`${name}: dropped mid-call (${call.dropped})`);
  call.turns.forEach((turn, i) => {
    const what = `${name}: turn ${i + 1} "${turn.question}"`;
    if (!turn.answered) {
      failures.push(`${what} not answered (${turn.error ?? '?'})`);
    } else if (turn.replyText?.includes(lines.repromptLine)) {
      failures.push(`${what} met with "${lines.repromptLine}": the agent did not hear it in time`);
    }
  });
  const unansweredTurn = call.turns.some((t) => !t.answered);
  if (call.error && !unansweredTurn && !call.dropped) {
    failures.push(`${name}: ${call.error.code}: ${call.error.message}`);
  }
  return failures;
}

/**
 * Failures of one call's record against the visit: missing, not closed by the agent, wrong
 * outcome, or a turn count other than the caller's turns plus the greeting. Counts are only
 * compared for calls that went well for the visitor (a failed call is reported already).
 */
function recordFailures(call: CallLog, record: StoredCall | undefined): string[] {
  const name = label(call);
  if (!call.roomName) return [];
  if (!record) return [`${name}: no call record`];
  if (record.status !== 'ended') return [`${name}: record still ${record.status}`];
  const failures: string[] = [];
  if (record.closedBy !== 'agent') {
    failures.push(`${name}: record closed by ${record.closedBy ?? 'nobody'}, not by the agent`);
  }
  if (call.error || call.dropped) return failures;
  const expected = expectedRecord(call);
  if (record.outcome !== expected.outcome) {
    failures.push(`${name}: outcome ${record.outcome}, expected ${expected.outcome}`);
  }
  const callerTurns = record.turns.filter((t) => t.userText).length;
  const agentOnly = record.turns.length - callerTurns;
  if (callerTurns !== expected.callerTurns) {
    failures.push(
      `${name}: record has ${callerTurns} caller turns, the visitor spoke ${expected.callerTurns}`,
    );
  }
  if (agentOnly !== 1) {
    const said = record.turns
      .filter((t) => !t.userText)
      .map((t) => `"${t.agentText ?? ''}"${t.interrupted ? ' (cut off)' : ''}`);
    failures.push(
      `${name}: record has ${agentOnly} agent-only turns, expected the greeting alone: ` +
        said.join(', '),
    );
  }
  const unanswered = record.turns.filter((t) => t.userText && !t.agentText).length;
  if (unanswered > 0) failures.push(`${name}: record has ${unanswered} turns without a reply`);
  return failures;
}

/** Every failure of the calls and their records; `records` is keyed by room name. */
export function callFailures(
  calls: readonly CallLog[],
  records: ReadonlyMap<string, StoredCall>,
  lines: PersonaLines,
): string[] {
  return calls.flatMap((call) => [
    ...visitorFailures(call, lines),
    ...recordFailures(call, call.roomName ? records.get(call.roomName) : undefined),
  ]);
}

/** Memory that must stay flat, and how much its mean may grow third to third. */
export interface MemoryRule {
  label: string;
  trend: MemoryTrend | undefined;
  maxGrowth: number;
}

export function memoryFailures(rules: readonly MemoryRule[]): string[] {
  return rules.flatMap(({ label, trend, maxGrowth }) => {
    if (!trend) return [`memory: too few samples of ${label} to tell its trend`];
    if (trend.growth < maxGrowth) return [];
    const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
    return [
      `memory: ${label} grew ${(trend.growth * 100).toFixed(1)} % from the middle to the last ` +
        `third of the steady load (${mb(trend.middleMeanBytes)} → ${mb(trend.lastMeanBytes)}), ` +
        `limit ${(maxGrowth * 100).toFixed(0)} %`,
    ];
  });
}
