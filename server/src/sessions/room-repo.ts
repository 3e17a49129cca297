import type { Queryable } from '../storage/database.js';

/**
 * One tenant's LiveKit rooms: the server notes each room it issues a web session for, so the
 * room's LiveKit events reach the right tenant before (and after) the room has a call.
 */
export class RoomRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  /** Notes the room as this tenant's; a room already noted keeps its first tenant. */
  async remember(roomName: string): Promise<void> {
    await this.db.query(
      'INSERT INTO rooms (room_name, tenant_id) VALUES ($1, $2) ON CONFLICT (room_name) DO NOTHING',
      [roomName, this.tenantId],
    );
  }
}

/** The tenant a room belongs to: the one its session was issued for, or the one of its call. */
export async function tenantOfRoom(db: Queryable, roomName: string): Promise<string | undefined> {
  const [row] = await db.query<{ tenant_id: string }>(
    `SELECT tenant_id FROM rooms WHERE room_name = $1
     UNION ALL (SELECT tenant_id FROM calls WHERE room_name = $1 ORDER BY started_at LIMIT 1)
     LIMIT 1`,
    [roomName],
  );
  return row?.tenant_id;
}
