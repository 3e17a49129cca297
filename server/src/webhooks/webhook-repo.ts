import { randomBytes } from 'node:crypto';
import type { Queryable } from '../storage/database.js';
import { compact, iso, isoOrUndefined, newId, orUndefined } from '../storage/row-helpers.js';
import {
  WebhookEndpointInputSchema,
  type DeliveryStatus,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointInput,
  type WebhookEventType,
  WebhookEventSchema,
  type WebhookEvent,
} from '@parley/contracts';
import { NotFoundError, parseInput } from '../domain-errors.js';
import type { SecretCipher } from '../tenants/secret-cipher.js';
import { resealAll } from '../tenants/secret-resealing.js';

interface EndpointRow {
  id: string;
  tenant_id: string;
  url: string;
  secret: string;
  events: WebhookEventType[];
  created_at: Date;
}

export interface DeliveryRow {
  id: string;
  tenant_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: WebhookEventType;
  payload: Record<string, unknown>;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  last_status_code: number | null;
  created_at: Date;
  delivered_at: Date | null;
}

const ENDPOINT_COLUMNS = 'id, tenant_id, url, secret, events, created_at';
export const DELIVERY_COLUMNS = `d.id, d.tenant_id, d.endpoint_id, d.event_id, d.event_type,
  d.payload, d.status, d.attempts, d.next_attempt_at, d.last_error, d.last_status_code,
  d.created_at, d.delivered_at`;

/**
 * The row an endpoint's sealed signing secret is bound to: it opens nowhere else. The server
 * signs with the plain secret, so it is sealed (`SecretCipher`), not hashed.
 */
export function endpointSecretRow(tenantId: string, endpointId: string): string[] {
  return ['webhook_endpoints.secret', tenantId, endpointId];
}

function toEndpoint(row: EndpointRow, cipher: SecretCipher): WebhookEndpoint {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    url: row.url,
    secret: cipher.open(row.secret, endpointSecretRow(row.tenant_id, row.id)),
    events: row.events,
    createdAt: iso(row.created_at),
  };
}

export function toDelivery(row: DeliveryRow): WebhookDelivery {
  return compact({
    id: row.id,
    tenantId: row.tenant_id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: iso(row.next_attempt_at),
    lastError: orUndefined(row.last_error),
    lastStatusCode: orUndefined(row.last_status_code),
    createdAt: iso(row.created_at),
    deliveredAt: isoOrUndefined(row.delivered_at),
  });
}

/**
 * One tenant's webhook endpoints, and the outbox their events are written to. Signing secrets are
 * stored sealed with `cipher`.
 */
export class WebhookRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
    private readonly cipher: SecretCipher,
  ) {}

  async createEndpoint(input: WebhookEndpointInput): Promise<WebhookEndpoint> {
    const endpoint = parseInput(WebhookEndpointInputSchema, input);
    const id = newId('whe');
    const secret = endpoint.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
    const [row] = await this.db.query<EndpointRow>(
      `INSERT INTO webhook_endpoints (id, tenant_id, url, secret, events)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${ENDPOINT_COLUMNS}`,
      [
        id,
        this.tenantId,
        endpoint.url,
        this.cipher.seal(secret, endpointSecretRow(this.tenantId, id)),
        [...new Set(endpoint.events)],
      ],
    );
    if (!row) throw new Error('INSERT … RETURNING answered no row');
    return toEndpoint(row, this.cipher);
  }

  async listEndpoints(): Promise<WebhookEndpoint[]> {
    const rows = await this.db.query<EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints
       WHERE tenant_id = $1 AND disabled_at IS NULL ORDER BY created_at, id`,
      [this.tenantId],
    );
    return rows.map((row) => toEndpoint(row, this.cipher));
  }

  /** Removes the endpoint and whatever was still queued for it. */
  async deleteEndpoint(id: string): Promise<void> {
    const rows = await this.db.query(
      'DELETE FROM webhook_endpoints WHERE tenant_id = $1 AND id = $2 RETURNING id',
      [this.tenantId, id],
    );
    if (rows.length === 0) throw new NotFoundError('not_found', `no webhook endpoint '${id}'`);
  }

  /**
   * Queues the event for every endpoint subscribed to its type. Enqueuing the same event id again
   * queues nothing new, so producers may retry freely. Answers the deliveries created now.
   */
  async enqueue(input: WebhookEvent): Promise<WebhookDelivery[]> {
    const event = parseInput(WebhookEventSchema, input);
    const rows = await this.db.query<DeliveryRow>(
      `INSERT INTO webhook_deliveries AS d (id, tenant_id, endpoint_id, event_id, event_type, payload)
       SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), e.tenant_id, e.id, $2, $3,
         $4::jsonb
       FROM webhook_endpoints e
       WHERE e.tenant_id = $1 AND e.disabled_at IS NULL AND $3 = ANY (e.events)
       ON CONFLICT (endpoint_id, event_id) DO NOTHING
       RETURNING ${DELIVERY_COLUMNS}`,
      [this.tenantId, event.id, event.type, JSON.stringify(event.payload)],
    );
    return rows.map(toDelivery);
  }

  /** The most recent deliveries, for the admin to see what was sent and what failed. */
  async listDeliveries(
    filter: { endpointId?: string; status?: DeliveryStatus; limit?: number } = {},
  ): Promise<WebhookDelivery[]> {
    const rows = await this.db.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d
       WHERE d.tenant_id = $1 AND ($2::text IS NULL OR d.endpoint_id = $2)
         AND ($3::text IS NULL OR d.status = $3)
       ORDER BY d.created_at DESC, d.id DESC LIMIT $4`,
      [
        this.tenantId,
        filter.endpointId ?? null,
        filter.status ?? null,
        Math.min(filter.limit ?? 50, 500),
      ],
    );
    return rows.map(toDelivery);
  }
}

/**
 * Seals again, with the current key, every endpoint's signing secret that is not sealed with it
 * (stored before secrets were sealed, or sealed with an old key). Answers how many were sealed.
 */
export async function resealEndpointSecrets(db: Queryable, cipher: SecretCipher): Promise<number> {
  const rows = await db.query<{ id: string; tenant_id: string; secret: string }>(
    `SELECT id, tenant_id, secret FROM webhook_endpoints WHERE secret NOT LIKE $1 || '%'
     ORDER BY id`,
    [cipher.currentPrefix],
  );
  return resealAll(
    cipher,
    rows.map((r) => ({
      label: `webhook endpoint ${r.tenant_id}/${r.id}`,
      row: endpointSecretRow(r.tenant_id, r.id),
      where: [r.id],
      stored: r.secret,
    })),
    async ({ where, stored }, sealed) => {
      const updated = await db.query(
        'UPDATE webhook_endpoints SET secret = $3 WHERE id = $1 AND secret = $2 RETURNING id',
        [...where, stored, sealed],
      );
      return updated.length > 0;
    },
  );
}
