import {
  CallLegSchema,
  CallWarningSchema,
  DateTimeSchema,
  E164Schema,
  PhoneCallStatusSchema,
  type CallLeg,
  type CallWarning,
  type CallerHistory,
  type PhoneCallStatus,
  type Call,
  type CallDetail,
  type Turn,
  type Page,
  CallCloseSchema,
  CallInputSchema,
  CallInsightsSchema,
  IdempotencyKeySchema,
  LeadTemperatureSchema,
  TurnInputSchema,
  type CallClose,
  type CallClosedBy,
  type CallInput,
  type CallInsights,
  type LeadTemperature,
  type TurnInput,
  CallListQuerySchema,
  type CallListQuery,
} from '@parley/contracts';
import {
  CALL_COLUMNS,
  LEG_COLUMNS,
  TURN_COLUMNS,
  toCall,
  toLeg,
  toToolCall,
  toTurn,
  toWarning,
  type CallLegRow,
  type CallRow,
  type CallWarningRow,
  type ToolCallRow,
  type TurnRow,
} from './call-rows.js';
import type { Database, Queryable } from '../storage/database.js';
import {
  FOREIGN_KEY_VIOLATION,
  UNIQUE_VIOLATION,
  containsPattern,
  decodeCursor,
  iso,
  newId,
  sqlState,
  toPage,
} from '../storage/row-helpers.js';
import { DomainError, NotFoundError, ConflictError, parseInput } from '../domain-errors.js';

export interface AppendedTurn {
  turn: Turn;
  /** False when a turn with this idempotency key was already there (and is answered instead). */
  created: boolean;
}

/** Times the database stores must be times: the contract leaves their format to the repository. */
const LegTimesSchema = CallLegSchema.extend({
  startedAt: DateTimeSchema.optional(),
  endedAt: DateTimeSchema.optional(),
});
const WarningTimeSchema = CallWarningSchema.extend({ at: DateTimeSchema.optional() });

export interface PhoneStatusChange {
  call: Call;
  /** False when the call already had this status (no webhook is due). */
  changed: boolean;
}

export interface ClosedCall {
  call: Call;
  /** False when this close changed nothing (the agent had already closed the call). */
  closed: boolean;
}

/** One tenant's calls and their turns: the call record shared by web and phone. */
export class CallRepo {
  constructor(
    private readonly db: Database,
    private readonly tenantId: string,
  ) {}

  /** Starts a call record pinned to a persona version (the current one unless given). */
  async create(input: CallInput): Promise<Call> {
    const call = parseInput(CallInputSchema, input);
    let rows: CallRow[];
    try {
      rows = await this.db.query<CallRow>(
        `INSERT INTO calls AS c (id, tenant_id, persona_id, persona_version, channel, room_name,
           participant_identity, caller, dialed_number, variables, started_at, direction,
           phone_status)
         SELECT $1, p.tenant_id, p.id, coalesce($4::int, p.current_version), $5, $6, $7,
           $8::jsonb, $9, $10::jsonb, coalesce($11::timestamptz, now()), $12, $13
         FROM personas p WHERE p.tenant_id = $2 AND p.id = $3
         RETURNING ${CALL_COLUMNS}`,
        [
          newId('call'),
          this.tenantId,
          call.personaId,
          call.personaVersion ?? null,
          call.channel,
          call.roomName,
          call.participantIdentity ?? null,
          JSON.stringify(call.caller),
          call.dialedNumber ?? null,
          JSON.stringify(call.variables),
          call.startedAt ?? null,
          call.direction ?? null,
          call.phoneStatus ?? null,
        ],
      );
    } catch (err) {
      if (sqlState(err) === FOREIGN_KEY_VIOLATION) {
        throw new NotFoundError(
          'persona_not_found',
          `persona '${call.personaId}' has no version ${call.personaVersion}`,
        );
      }
      if (sqlState(err) === UNIQUE_VIOLATION) {
        throw new ConflictError(`room '${call.roomName}' already has a call`);
      }
      throw err;
    }
    const [row] = rows;
    if (!row) throw new NotFoundError('persona_not_found', `no persona '${call.personaId}'`);
    return toCall(row);
  }

  /**
   * Starts the call of a room, or answers the one it already has: the agent's retried create
   * (after a lost response) must not fail or make a second record.
   */
  async ensure(input: CallInput): Promise<{ call: Call; created: boolean }> {
    try {
      return { call: await this.create(input), created: true };
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'conflict') throw err;
      const existing = await this.getByRoom(parseInput(CallInputSchema, input).roomName);
      if (!existing) throw err;
      return { call: existing, created: false };
    }
  }

  /**
   * Appends the next turn. The caller's key makes this idempotent: appending with a key already
   * used on this call writes nothing and answers the turn written the first time.
   */
  async appendTurn(callId: string, key: string, input: TurnInput): Promise<AppendedTurn> {
    const idempotencyKey = parseInput(IdempotencyKeySchema, key);
    const turn = parseInput(TurnInputSchema, input);
    return this.db.transaction(async (tx) => {
      // Locking the call orders concurrent appends, so sequence numbers and keys never race.
      const [call] = await tx.query<{ closed_by: CallClosedBy | null }>(
        'SELECT closed_by FROM calls WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
        [this.tenantId, callId],
      );
      if (!call) throw new NotFoundError('not_found', `no call '${callId}'`);
      const existing = await this.turns(tx, callId, idempotencyKey);
      if (existing[0]) return { turn: existing[0], created: false };
      // After LiveKit's provisional close, turns the agent spooled during an outage still land.
      if (call.closed_by === 'agent') throw new ConflictError(`call '${callId}' has ended`);
      const [row] = await tx.query<TurnRow>(
        `INSERT INTO turns (tenant_id, call_id, seq, idempotency_key, user_text, agent_text,
           interrupted, timings, dtmf)
         SELECT $1, $2, coalesce(max(seq), 0) + 1, $3::text, $4::text, $5::text, $6::boolean,
           $7::jsonb, $8::text
         FROM turns WHERE call_id = $2
         RETURNING ${TURN_COLUMNS}`,
        [
          this.tenantId,
          callId,
          idempotencyKey,
          turn.userText ?? null,
          turn.agentText ?? null,
          turn.interrupted,
          JSON.stringify(turn.timings),
          turn.dtmf ?? null,
        ],
      );
      if (!row) throw new Error('INSERT … RETURNING answered no row');
      if (turn.toolCalls.length > 0) {
        await tx.query(
          `INSERT INTO tool_calls (tenant_id, call_id, turn_seq, position, name, args, result, error)
           SELECT $1, $2, $3, t.position, t.call->>'name', coalesce(t.call->'args', '{}'),
             t.call->'result', t.call->>'error'
           FROM jsonb_array_elements($4::jsonb) WITH ORDINALITY AS t(call, position)`,
          [this.tenantId, callId, row.seq, JSON.stringify(turn.toolCalls)],
        );
      }
      const toolCalls = turn.toolCalls.map((c) =>
        toToolCall({ turn_seq: row.seq, ...c, result: c.result ?? null, error: c.error ?? null }),
      );
      return { turn: toTurn(row, toolCalls), created: true };
    });
  }

  /**
   * Ends the call. The agent's close is final: a later close changes nothing. LiveKit's close
   * (`by: 'livekit'`, when the room finished first) is provisional: the agent's close after it
   * replaces its outcome, summary, cost and lead temperature, and keeps its end time unless the
   * agent names its own.
   */
  async close(callId: string, input: CallClose, by: CallClosedBy = 'agent'): Promise<ClosedCall> {
    const end = parseInput(CallCloseSchema, input);
    const endedAt = 'greatest(c.started_at, coalesce($3::timestamptz, c.ended_at, now()))';
    const [row] = await this.db.query<CallRow>(
      `UPDATE calls AS c SET status = 'ended', closed_by = $8::text,
         ended_at = ${endedAt},
         duration_ms = round(extract(epoch FROM ${endedAt} - c.started_at) * 1000)::int,
         outcome = $4,
         summary = coalesce($5, c.summary),
         lead_temperature = coalesce($6, c.lead_temperature),
         cost_usd = coalesce($7, c.cost_usd)
       WHERE c.tenant_id = $1 AND c.id = $2
         AND (c.status = 'active' OR ($8::text = 'agent' AND c.closed_by = 'livekit'))
       RETURNING ${CALL_COLUMNS}`,
      [
        this.tenantId,
        callId,
        end.endedAt ?? null,
        end.outcome,
        end.summary ?? null,
        end.leadTemperature ?? null,
        end.costUsd ?? null,
        by,
      ],
    );
    if (row) return { call: toCall(row), closed: true };
    return { call: await this.require(callId), closed: false };
  }

  /** Raises the call's lead temperature (cold < warm < hot); a cooler one leaves it as it is. */
  async raiseLeadTemperature(callId: string, temperature: LeadTemperature): Promise<void> {
    await this.db.query(
      `UPDATE calls SET lead_temperature = $3
       WHERE tenant_id = $1 AND id = $2 AND (lead_temperature IS NULL
         OR array_position(ARRAY['cold', 'warm', 'hot'], lead_temperature)
            < array_position(ARRAY['cold', 'warm', 'hot'], $3::text))`,
      [this.tenantId, callId, parseInput(LeadTemperatureSchema, temperature)],
    );
  }

  /** Post-call analysis (summary, lead temperature, cost), before or after the call ends. */
  async recordInsights(callId: string, input: CallInsights): Promise<Call> {
    const insights = parseInput(CallInsightsSchema, input);
    const [row] = await this.db.query<CallRow>(
      `UPDATE calls AS c SET summary = coalesce($3, c.summary),
         lead_temperature = coalesce($4, c.lead_temperature), cost_usd = coalesce($5, c.cost_usd)
       WHERE c.tenant_id = $1 AND c.id = $2 RETURNING ${CALL_COLUMNS}`,
      [
        this.tenantId,
        callId,
        insights.summary ?? null,
        insights.leadTemperature ?? null,
        insights.costUsd ?? null,
      ],
    );
    if (!row) throw new NotFoundError('not_found', `no call '${callId}'`);
    return toCall(row);
  }

  /** The call with every turn in order, its legs and its warnings. */
  async get(callId: string): Promise<CallDetail | undefined> {
    const [row] = await this.db.query<CallRow>(
      `SELECT ${CALL_COLUMNS} FROM calls c WHERE c.tenant_id = $1 AND c.id = $2`,
      [this.tenantId, callId],
    );
    if (!row) return undefined;
    const [turns, legs, warnings] = await Promise.all([
      this.turns(this.db, callId),
      this.legs(callId),
      this.warnings(callId),
    ]);
    return { ...toCall(row), turns, legs, warnings };
  }

  /** Records how the call's phone leg stands now (dialing, ringing, answered, busy…). */
  async setPhoneStatus(callId: string, status: PhoneCallStatus): Promise<PhoneStatusChange> {
    const next = parseInput(PhoneCallStatusSchema, status);
    const [row] = await this.db.query<CallRow & { previous: PhoneCallStatus | null }>(
      `UPDATE calls AS c SET phone_status = $3
       FROM calls AS before
       WHERE c.tenant_id = $1 AND c.id = $2 AND before.tenant_id = c.tenant_id AND before.id = c.id
       RETURNING ${CALL_COLUMNS}, before.phone_status AS previous`,
      [this.tenantId, callId, next],
    );
    if (!row) throw new NotFoundError('not_found', `no call '${callId}'`);
    const { previous, ...callRow } = row;
    return { call: toCall(callRow), changed: previous !== next };
  }

  /**
   * Adds a participant leg, or updates the one with the same identity: a later report of a leg
   * changes its status and fills in what was missing; its start time stays the first one given.
   */
  async upsertLeg(callId: string, input: CallLeg): Promise<CallLeg> {
    const leg = parseInput(LegTimesSchema, input);
    const [row] = await this.db.query<CallLegRow>(
      `INSERT INTO call_legs AS l (tenant_id, call_id, identity, kind, phone_number, direction,
           status, started_at, ended_at)
         SELECT c.tenant_id, c.id, $3, $4, $5, $6, $7, $8::timestamptz, $9::timestamptz
         FROM calls c WHERE c.tenant_id = $1 AND c.id = $2
         ON CONFLICT (tenant_id, call_id, identity) DO UPDATE SET
           kind = excluded.kind,
           phone_number = coalesce(excluded.phone_number, l.phone_number),
           direction = coalesce(excluded.direction, l.direction),
           status = coalesce(excluded.status, l.status),
           started_at = coalesce(l.started_at, excluded.started_at),
           ended_at = coalesce(excluded.ended_at, l.ended_at)
         RETURNING ${LEG_COLUMNS}`,
      [
        this.tenantId,
        callId,
        leg.identity,
        leg.kind,
        leg.phoneNumber ?? null,
        leg.direction ?? null,
        leg.status ?? null,
        leg.startedAt ?? null,
        leg.endedAt ?? null,
      ],
    );
    if (!row) throw new NotFoundError('not_found', `no call '${callId}'`);
    return toLeg(row);
  }

  /** Keeps a warning with the call; the same warning reported again is kept once. */
  async addWarning(callId: string, input: CallWarning): Promise<CallWarning> {
    const warning = parseInput(WarningTimeSchema, input);
    const [row] = await this.db.query<CallWarningRow>(
      `WITH added AS (
           INSERT INTO call_warnings (tenant_id, call_id, code, message, at)
           SELECT c.tenant_id, c.id, $3, $4, coalesce($5::timestamptz, now())
           FROM calls c WHERE c.tenant_id = $1 AND c.id = $2
           ON CONFLICT (tenant_id, call_id, code, message) DO NOTHING
           RETURNING code, message, at)
         SELECT code, message, at FROM added
         UNION ALL
         SELECT code, message, at FROM call_warnings
         WHERE tenant_id = $1 AND call_id = $2 AND code = $3 AND message = $4`,
      [this.tenantId, callId, warning.code, warning.message, warning.at ?? null],
    );
    if (!row) throw new NotFoundError('not_found', `no call '${callId}'`);
    return toWarning(row);
  }

  private async legs(callId: string): Promise<CallLeg[]> {
    const rows = await this.db.query<CallLegRow>(
      `SELECT ${LEG_COLUMNS} FROM call_legs WHERE tenant_id = $1 AND call_id = $2
       ORDER BY added`,
      [this.tenantId, callId],
    );
    return rows.map(toLeg);
  }

  private async warnings(callId: string): Promise<CallWarning[]> {
    const rows = await this.db.query<CallWarningRow>(
      `SELECT code, message, at FROM call_warnings WHERE tenant_id = $1 AND call_id = $2
       ORDER BY at, code`,
      [this.tenantId, callId],
    );
    return rows.map(toWarning);
  }

  async require(callId: string): Promise<Call> {
    const [row] = await this.db.query<CallRow>(
      `SELECT ${CALL_COLUMNS} FROM calls c WHERE c.tenant_id = $1 AND c.id = $2`,
      [this.tenantId, callId],
    );
    if (!row) throw new NotFoundError('not_found', `no call '${callId}'`);
    return toCall(row);
  }

  /** The call a LiveKit room carries (LiveKit webhooks name rooms, not calls). */
  async getByRoom(roomName: string): Promise<Call | undefined> {
    const [row] = await this.db.query<CallRow>(
      `SELECT ${CALL_COLUMNS} FROM calls c WHERE c.tenant_id = $1 AND c.room_name = $2`,
      [this.tenantId, roomName],
    );
    return row && toCall(row);
  }

  /** How often a visitor (by the id their browser keeps) called before, and how the last call went. */
  async historyOfVisitor(visitorId: string): Promise<CallerHistory> {
    const [row] = await this.db.query<{
      n: string | number;
      last_at: Date | null;
      summary: string | null;
    }>(
      `SELECT count(*) AS n, max(c.started_at) AS last_at,
         (SELECT l.summary FROM calls l WHERE l.tenant_id = $1 AND l.caller->>'id' = $2
          ORDER BY l.started_at DESC LIMIT 1) AS summary
       FROM calls c WHERE c.tenant_id = $1 AND c.caller->>'id' = $2`,
      [this.tenantId, visitorId],
    );
    const history: CallerHistory = { previousCalls: Number(row?.n ?? 0) };
    if (row?.last_at) history.lastCallAt = iso(row.last_at);
    if (row?.summary) history.lastSummary = row.summary;
    return history;
  }

  /**
   * How often a phone number called (or was called by) this tenant before, and how the last call
   * went: what `historyOfVisitor` is for the web, keyed by the caller's number. Only ended calls
   * count: the call asking (an outbound call's record exists before its agent starts) is not
   * an earlier one.
   */
  async historyOfPhoneNumber(phoneNumber: string): Promise<CallerHistory> {
    const number = parseInput(E164Schema, phoneNumber);
    const [row] = await this.db.query<{
      n: string | number;
      last_at: Date | null;
      summary: string | null;
    }>(
      `SELECT count(*) AS n, max(c.started_at) AS last_at,
         (SELECT l.summary FROM calls l WHERE l.tenant_id = $1 AND l.caller->>'phoneNumber' = $2
            AND l.status = 'ended'
          ORDER BY l.started_at DESC LIMIT 1) AS summary
       FROM calls c WHERE c.tenant_id = $1 AND c.caller->>'phoneNumber' = $2
         AND c.status = 'ended'`,
      [this.tenantId, number],
    );
    const history: CallerHistory = { previousCalls: Number(row?.n ?? 0) };
    if (row?.last_at) history.lastCallAt = iso(row.last_at);
    if (row?.summary) history.lastSummary = row.summary;
    return history;
  }

  /** Newest first, filtered, one page at a time (pass `nextCursor` back as `cursor`). */
  async list(query: CallListQuery = {}): Promise<Page<Call>> {
    const q = parseInput(CallListQuerySchema, query);
    const params: unknown[] = [this.tenantId];
    const where = ['c.tenant_id = $1'];
    const filter = (value: unknown, clause: (param: string) => string): void => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (q.personaId) filter(q.personaId, (p) => `c.persona_id = ${p}`);
    if (q.channel) filter(q.channel, (p) => `c.channel = ${p}`);
    if (q.outcome) filter(q.outcome, (p) => `c.outcome = ${p}`);
    if (q.from) filter(q.from, (p) => `c.started_at >= ${p}::timestamptz`);
    if (q.to) filter(q.to, (p) => `c.started_at < ${p}::timestamptz`);
    if (q.q) {
      filter(
        containsPattern(q.q),
        (p) => `(c.summary ILIKE ${p} OR EXISTS (SELECT 1 FROM turns t
          WHERE t.call_id = c.id AND (t.user_text ILIKE ${p} OR t.agent_text ILIKE ${p})))`,
      );
    }
    if (q.cursor) {
      const cursor = decodeCursor(q.cursor);
      filter(cursor.at, (p) => `(c.started_at, c.id) < (${p}::timestamptz, $${params.length + 1})`);
      params.push(cursor.id);
    }
    params.push(q.limit + 1);
    const rows = await this.db.query<CallRow>(
      `SELECT ${CALL_COLUMNS} FROM calls c WHERE ${where.join(' AND ')}
       ORDER BY c.started_at DESC, c.id DESC LIMIT $${params.length}`,
      params,
    );
    return toPage(rows.map(toCall), q.limit, (c) => ({ at: c.startedAt, id: c.id }));
  }

  private async turns(tx: Queryable, callId: string, key?: string): Promise<Turn[]> {
    const byKey = key === undefined ? '' : 'AND idempotency_key = $3';
    const params = key === undefined ? [this.tenantId, callId] : [this.tenantId, callId, key];
    const rows = await tx.query<TurnRow>(
      `SELECT ${TURN_COLUMNS} FROM turns WHERE tenant_id = $1 AND call_id = $2 ${byKey}
       ORDER BY seq`,
      params,
    );
    if (rows.length === 0) return [];
    const seqs = rows.map((r) => r.seq);
    const toolRows = await tx.query<ToolCallRow>(
      `SELECT turn_seq, name, args, result, error FROM tool_calls
       WHERE tenant_id = $1 AND call_id = $2 AND turn_seq = ANY($3::int[])
       ORDER BY turn_seq, position`,
      [this.tenantId, callId, seqs],
    );
    return rows.map((row) =>
      toTurn(row, toolRows.filter((t) => t.turn_seq === row.seq).map(toToolCall)),
    );
  }
}
