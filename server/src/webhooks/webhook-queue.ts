import type { Queryable } from '../storage/database.js';
import {
  DELIVERY_COLUMNS,
  endpointSecretRow,
  toDelivery,
  type DeliveryRow,
} from './webhook-repo.js';
import type { WebhookDelivery } from '@parley/contracts';
import { ConflictError } from '../domain-errors.js';
import { SecretCipherError, type SecretCipher } from '../tenants/secret-cipher.js';

export interface WebhookQueueOptions {
  /** Attempts after which a delivery is given up as `failed`. */
  maxAttempts: number;
  /** Delay after the first failure; it doubles with every further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a claimed delivery stays invisible to other claimers (a sender that dies mid-send
   * releases its claims when this runs out). */
  leaseMs: number;
}

const DEFAULTS: WebhookQueueOptions = {
  maxAttempts: 10,
  baseDelayMs: 10_000,
  maxDelayMs: 3_600_000,
  leaseMs: 60_000,
};

/** A delivery ready to send, with where to send it and the key to sign it with. */
export interface DueDelivery extends WebhookDelivery {
  url: string;
  secret: string;
}

/**
 * The outbox as the sender sees it, across tenants. State lives only in the database: a restart
 * loses nothing, and several senders (server replicas) never claim the same delivery at once.
 */
export class WebhookQueue {
  private readonly options: WebhookQueueOptions;

  constructor(
    private readonly db: Queryable,
    /** Opens the endpoints' sealed signing secrets. */
    private readonly cipher: SecretCipher,
    options: Partial<WebhookQueueOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    const { maxAttempts, baseDelayMs, maxDelayMs, leaseMs } = this.options;
    if (!(maxAttempts >= 1 && baseDelayMs > 0 && maxDelayMs >= baseDelayMs && leaseMs > 0)) {
      throw new RangeError('WebhookQueue: invalid retry options');
    }
  }

  /**
   * Claims up to `limit` pending deliveries whose time has come, counting the attempt and leasing
   * them for `leaseMs`; `now` is for tests that move time. A delivery whose endpoint's secret does
   * not open is not sent unsigned: it counts as a failed attempt instead.
   */
  async claimDue(limit = 10, now?: Date): Promise<DueDelivery[]> {
    const rows = await this.db.query<DeliveryRow & { url: string; secret: string }>(
      `UPDATE webhook_deliveries AS d
       SET attempts = d.attempts + 1,
         next_attempt_at = coalesce($2::timestamptz, now()) + $3::float8 * interval '1 millisecond'
       FROM webhook_endpoints e
       WHERE e.id = d.endpoint_id AND d.id IN (
         SELECT id FROM webhook_deliveries
         WHERE status = 'pending' AND next_attempt_at <= coalesce($2::timestamptz, now())
         ORDER BY next_attempt_at, id
         LIMIT $1
         FOR UPDATE SKIP LOCKED)
       RETURNING ${DELIVERY_COLUMNS}, e.url, e.secret`,
      [limit, now?.toISOString() ?? null, this.options.leaseMs],
    );
    const due: DueDelivery[] = [];
    for (const row of rows) {
      try {
        const secret = this.cipher.open(
          row.secret,
          endpointSecretRow(row.tenant_id, row.endpoint_id),
        );
        due.push({ ...toDelivery(row), url: row.url, secret });
      } catch (err) {
        if (!(err instanceof SecretCipherError)) throw err;
        await this.markFailed(row.id, {
          error: `signing secret: ${err.message}`,
          ...(now && { now }),
        });
      }
    }
    return due.sort(
      (a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.id.localeCompare(b.id),
    );
  }

  async markDelivered(id: string, statusCode: number): Promise<WebhookDelivery> {
    return this.finish(
      `UPDATE webhook_deliveries AS d SET status = 'delivered', delivered_at = now(),
         last_status_code = $2, last_error = NULL
       WHERE d.id = $1 AND d.status = 'pending' RETURNING ${DELIVERY_COLUMNS}`,
      [id, statusCode],
      id,
    );
  }

  /**
   * Schedules the next attempt with exponential backoff, or gives the delivery up once it has
   * had `maxAttempts`.
   */
  async markFailed(
    id: string,
    failure: { error: string; statusCode?: number; now?: Date },
  ): Promise<WebhookDelivery> {
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.options;
    return this.finish(
      `UPDATE webhook_deliveries AS d
       SET status = CASE WHEN d.attempts >= $3 THEN 'failed' ELSE 'pending' END,
         next_attempt_at = coalesce($5::timestamptz, now())
           + least($6::float8 * power(2, greatest(d.attempts - 1, 0)), $7::float8) * interval '1 millisecond',
         last_error = $2, last_status_code = $4
       WHERE d.id = $1 AND d.status = 'pending' RETURNING ${DELIVERY_COLUMNS}`,
      [
        id,
        failure.error.slice(0, 2000),
        maxAttempts,
        failure.statusCode ?? null,
        failure.now?.toISOString() ?? null,
        baseDelayMs,
        maxDelayMs,
      ],
      id,
    );
  }

  private async finish(sql: string, params: unknown[], id: string): Promise<WebhookDelivery> {
    const [row] = await this.db.query<DeliveryRow>(sql, params);
    if (!row)
      throw new ConflictError(`webhook delivery '${id}' is not pending (or does not exist)`);
    return toDelivery(row);
  }
}
