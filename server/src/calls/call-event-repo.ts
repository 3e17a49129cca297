import type { CallEvent } from '@parley/contracts';
import type { Queryable } from '../storage/database.js';
import { iso } from '../storage/row-helpers.js';
import { CallEventInputSchema, type CallEventInput } from '../storage/schemas.js';
import { parseInput } from '../domain-errors.js';

interface CallEventRow {
  type: CallEvent['type'];
  identity: string;
  kind: string;
  at: Date;
}

/**
 * One tenant's LiveKit participant events. They are stored by room, since the visitor (or SIP
 * caller) joins before the agent creates the call, and read back through the call's room.
 */
export class CallEventRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  /** Stores the event; a redelivered one (same LiveKit event id) is stored once. */
  async record(input: CallEventInput): Promise<void> {
    const event = parseInput(CallEventInputSchema, input);
    await this.db.query(
      `INSERT INTO call_events (tenant_id, event_id, room_name, type, identity, kind, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [
        this.tenantId,
        event.eventId,
        event.roomName,
        event.type,
        event.identity,
        event.kind,
        event.at,
      ],
    );
  }

  /** The events of the call's room, in the order they happened. */
  async listForCall(callId: string): Promise<CallEvent[]> {
    const rows = await this.db.query<CallEventRow>(
      `SELECT e.type, e.identity, e.kind, e.at FROM call_events e
       JOIN calls c ON c.tenant_id = e.tenant_id AND c.room_name = e.room_name
       WHERE e.tenant_id = $1 AND c.id = $2
       ORDER BY e.at, e.event_id`,
      [this.tenantId, callId],
    );
    return rows.map((row) => ({
      type: row.type,
      identity: row.identity,
      kind: row.kind,
      at: iso(row.at),
    }));
  }
}
