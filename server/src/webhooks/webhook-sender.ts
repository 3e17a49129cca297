import { OutgoingGuard } from '../http/outgoing-guard.js';
import type { DueDelivery, WebhookQueue } from '../storage/index.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';

export interface WebhookSenderOptions {
  queue: WebhookQueue;
  /**
   * Where deliveries may connect (`PARLEY_OUTBOUND_ALLOW`); public addresses only by default.
   * A refused endpoint is recorded as the delivery's error, like any other failure.
   */
  outgoing?: OutgoingGuard;
  /** How often to look for due deliveries. */
  pollMs?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** Why a delivery got no answer: fetch says only "fetch failed" and keeps the reason in `cause`. */
function failureReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? err.cause : undefined;
  return cause ? `${err.message}: ${cause.message}` : err.message;
}

/**
 * Delivers the outbox: signs each event (HMAC-SHA256 over timestamp and body), POSTs it through
 * the outgoing guard (redirects are not followed), and records the answer; failures, a refused
 * address among them, are retried by the queue with exponential backoff until it gives up. All
 * state is in the database, so pending deliveries survive a restart.
 */
export class WebhookSender {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly log: (line: string) => void;
  private readonly outgoing: OutgoingGuard;

  constructor(private readonly options: WebhookSenderOptions) {
    this.outgoing = options.outgoing ?? new OutgoingGuard();
    this.pollMs = options.pollMs ?? 1000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.log = options.log ?? console.log;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Sends whatever is due now; answers how many were delivered. One tick at a time. */
  tick(): Promise<number> {
    this.running ??= this.sendDue().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sendDue(): Promise<number> {
    let delivered = 0;
    try {
      for (const delivery of await this.options.queue.claimDue(20)) {
        if (await this.send(delivery)) delivered += 1;
      }
    } catch (err) {
      this.log(`webhook sender: ${err instanceof Error ? err.message : String(err)}`);
    }
    return delivered;
  }

  private async send(delivery: DueDelivery): Promise<boolean> {
    const body = JSON.stringify({
      id: delivery.eventId,
      type: delivery.eventType,
      createdAt: delivery.createdAt,
      data: delivery.payload,
    });
    const signature = signWebhook(delivery.secret, Math.floor(Date.now() / 1000), body);
    try {
      const res = await this.outgoing.fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Parley-Webhooks/0.1',
          'parley-event-id': delivery.eventId,
          'parley-event-type': delivery.eventType,
          [SIGNATURE_HEADER]: signature,
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // Only the status counts: the answer is not read (nor held in memory, however large).
      await res.body?.cancel();
      if (res.ok) {
        await this.options.queue.markDelivered(delivery.id, res.status);
        return true;
      }
      await this.options.queue.markFailed(delivery.id, {
        error: `HTTP ${res.status}`,
        statusCode: res.status,
      });
    } catch (err) {
      await this.options.queue.markFailed(delivery.id, { error: failureReason(err) });
    }
    return false;
  }
}
