/** What the call repository answers, and how database rows become it. */
import type {
  Call,
  CallClosedBy,
  CallLeg,
  CallOutcome,
  CallWarning,
  Caller,
  Channel,
  LeadTemperature,
  PhoneCallStatus,
  ToolCall,
  Turn,
} from '@parley/contracts';
import { compact, iso, isoOrUndefined, orUndefined } from '../storage/row-helpers.js';

export interface CallRow {
  id: string;
  tenant_id: string;
  persona_id: string;
  persona_version: number;
  channel: Channel;
  status: 'active' | 'ended';
  closed_by: CallClosedBy | null;
  room_name: string;
  participant_identity: string | null;
  caller: Caller;
  dialed_number: string | null;
  variables: Record<string, string | number | boolean>;
  started_at: Date;
  ended_at: Date | null;
  duration_ms: number | null;
  outcome: CallOutcome | null;
  summary: string | null;
  lead_temperature: LeadTemperature | null;
  cost_usd: number | null;
  direction: 'inbound' | 'outbound' | null;
  phone_status: PhoneCallStatus | null;
}

export const CALL_COLUMNS = `c.id, c.tenant_id, c.persona_id, c.persona_version, c.channel, c.status,
  c.closed_by, c.room_name, c.participant_identity, c.caller, c.dialed_number, c.variables, c.started_at,
  c.ended_at, c.duration_ms, c.outcome, c.summary, c.lead_temperature, c.cost_usd, c.direction,
  c.phone_status`;

export function toCall(row: CallRow): Call {
  return compact({
    id: row.id,
    tenantId: row.tenant_id,
    personaId: row.persona_id,
    personaVersion: row.persona_version,
    channel: row.channel,
    status: row.status,
    closedBy: orUndefined(row.closed_by),
    roomName: row.room_name,
    participantIdentity: orUndefined(row.participant_identity),
    caller: row.caller,
    dialedNumber: orUndefined(row.dialed_number),
    variables: row.variables,
    startedAt: iso(row.started_at),
    endedAt: isoOrUndefined(row.ended_at),
    durationMs: orUndefined(row.duration_ms),
    outcome: orUndefined(row.outcome),
    summary: orUndefined(row.summary),
    leadTemperature: orUndefined(row.lead_temperature),
    costUsd: orUndefined(row.cost_usd),
    direction: orUndefined(row.direction),
    phoneStatus: orUndefined(row.phone_status),
  });
}

export interface TurnRow {
  seq: number;
  idempotency_key: string;
  user_text: string | null;
  agent_text: string | null;
  interrupted: boolean;
  timings: Record<string, number>;
  dtmf: string | null;
  created_at: Date;
}

export const TURN_COLUMNS =
  'seq, idempotency_key, user_text, agent_text, interrupted, timings, dtmf, created_at';

export interface ToolCallRow {
  turn_seq: number;
  name: string;
  args: Record<string, unknown>;
  result: unknown;
  error: string | null;
}

export function toToolCall(row: ToolCallRow): ToolCall {
  return compact({
    name: row.name,
    args: row.args,
    result: orUndefined(row.result),
    error: orUndefined(row.error),
  });
}

export function toTurn(row: TurnRow, toolCalls: ToolCall[]): Turn {
  return compact({
    seq: row.seq,
    idempotencyKey: row.idempotency_key,
    userText: orUndefined(row.user_text),
    agentText: orUndefined(row.agent_text),
    interrupted: row.interrupted,
    timings: row.timings,
    toolCalls,
    dtmf: orUndefined(row.dtmf),
    createdAt: iso(row.created_at),
  });
}

export interface CallLegRow {
  identity: string;
  kind: CallLeg['kind'];
  phone_number: string | null;
  direction: 'inbound' | 'outbound' | null;
  status: PhoneCallStatus | null;
  started_at: Date | null;
  ended_at: Date | null;
}

export const LEG_COLUMNS = 'identity, kind, phone_number, direction, status, started_at, ended_at';

export function toLeg(row: CallLegRow): CallLeg {
  return compact({
    kind: row.kind,
    identity: row.identity,
    phoneNumber: orUndefined(row.phone_number),
    direction: orUndefined(row.direction),
    status: orUndefined(row.status),
    startedAt: isoOrUndefined(row.started_at),
    endedAt: isoOrUndefined(row.ended_at),
  });
}

export interface CallWarningRow {
  code: CallWarning['code'];
  message: string;
  at: Date;
}

export function toWarning(row: CallWarningRow): CallWarning {
  return { code: row.code, message: row.message, at: iso(row.at) };
}
