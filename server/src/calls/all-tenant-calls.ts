/** Questions about calls that span tenants: the server's own bookkeeping, never a tenant's view. */
import type { Queryable } from '../storage/database.js';

/** The tenant a call belongs to (call ids are unique across tenants). */
export async function tenantOfCall(db: Queryable, callId: string): Promise<string | undefined> {
  const [row] = await db.query<{ tenant_id: string }>('SELECT tenant_id FROM calls WHERE id = $1', [
    callId,
  ]);
  return row?.tenant_id;
}

/** Calls started and not yet ended, every tenant's (the `parley_active_calls` gauge). */
export async function countActiveCalls(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: string | number }>(
    "SELECT count(*) AS n FROM calls WHERE status = 'active'",
  );
  return Number(row?.n ?? 0);
}
