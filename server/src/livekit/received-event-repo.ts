import type { Queryable } from '../storage/database.js';

/**
 * The LiveKit webhook event ids received within the replay window, in the database so that an
 * event sent again to another server replica is known there too. Times are the server's clock.
 */
export class ReceivedEventRepo {
  constructor(private readonly db: Queryable) {}

  /**
   * Notes that `eventId` arrived `at`; false when it had already arrived after `since` (a
   * replay). An id last received before `since` counts as new, pruned or not.
   */
  async receive(eventId: string, at: Date, since: Date): Promise<boolean> {
    const rows = await this.db.query<{ event_id: string }>(
      `INSERT INTO livekit_webhook_events (event_id, received_at) VALUES ($1, $2::timestamptz)
       ON CONFLICT (event_id) DO UPDATE SET received_at = excluded.received_at
         WHERE livekit_webhook_events.received_at < $3::timestamptz
       RETURNING event_id`,
      [eventId, at.toISOString(), since.toISOString()],
    );
    return rows.length > 0;
  }

  /** Forgets the ids received before `cutoff`: too old to be replayed without being stale. */
  async forgetBefore(cutoff: Date): Promise<void> {
    await this.db.query('DELETE FROM livekit_webhook_events WHERE received_at < $1::timestamptz', [
      cutoff.toISOString(),
    ]);
  }
}
