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

function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    url: row.url,
    secret: row.secret,
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

/** One tenant's webhook endpoints, and the outbox their events are written to. */
export class WebhookRepo {
  constructor(
    private readonly db: Queryable,
    private readonly tenantId: string,
  ) {}

  async createEndpoint(input: WebhookEndpointInput): Promise<WebhookEndpoint> {
    const endpoint = parseInput(WebhookEndpointInputSchema, input);
    const [row] = await this.db.query<EndpointRow>(
      `INSERT INTO webhook_endpoints (id, tenant_id, url, secret, events)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${ENDPOINT_COLUMNS}`,
      [
        newId('whe'),
        this.tenantId,
        endpoint.url,
        endpoint.secret ?? `whsec_${randomBytes(24).toString('base64url')}`,
        [...new Set(endpoint.events)],
      ],
    );
    if (!row) throw new Error('INSERT … RETURNING answered no row');
    return toEndpoint(row);
  }

  async listEndpoints(): Promise<WebhookEndpoint[]> {
    const rows = await this.db.query<EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints
       WHERE tenant_id = $1 AND disabled_at IS NULL ORDER BY created_at, id`,
      [this.tenantId],
    );
    return rows.map(toEndpoint);
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
