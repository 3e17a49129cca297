import type { DueDelivery, WebhookQueue } from '../storage/index.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';

export interface WebhookSenderOptions {
  queue: WebhookQueue;
  /** How often to look for due deliveries. */
  pollMs?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * Delivers the outbox: signs each event (HMAC-SHA256 over timestamp and body), POSTs it, and
 * records the answer; failures are retried by the queue with exponential backoff. All state is
 * in the database, so pending deliveries survive a restart.
 */
export class WebhookSender {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly log: (line: string) => void;

  constructor(private readonly options: WebhookSenderOptions) {
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
      const res = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Parley-Webhooks/0.1',
          'parley-event-id': delivery.eventId,
          'parley-event-type': delivery.eventType,
          [SIGNATURE_HEADER]: signature,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      if (res.ok) {
        await this.options.queue.markDelivered(delivery.id, res.status);
        return true;
      }
      await this.options.queue.markFailed(delivery.id, {
        error: `HTTP ${res.status}`,
        statusCode: res.status,
      });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      await this.options.queue.markFailed(delivery.id, { error });
    }
    return false;
  }
}
