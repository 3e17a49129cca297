import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '@parley/server';

/** One POST the receiver took, as the customer's endpoint would see it. */
export interface ReceivedDelivery {
  id: string;
  type: string;
  /** The `parley-event-id` header, which must name the same event as the body. */
  headerId: string | undefined;
  signatureValid: boolean;
  at: number;
}

/**
 * A customer's webhook endpoint on loopback: verifies each delivery's HMAC signature against
 * `secret`, records it and answers 200. `stop()` takes it off the network (connections are
 * refused), `start()` brings it back on the same port.
 */
export class WebhookReceiver {
  readonly deliveries: ReceivedDelivery[] = [];
  #server: Server | undefined;
  #port = 0;

  constructor(private readonly secret: string) {}

  get url(): string {
    if (this.#port === 0) throw new Error('start() the receiver first');
    return `http://127.0.0.1:${this.#port}/parley-events`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const event = JSON.parse(body) as { id: string; type: string };
        const signature = req.headers[SIGNATURE_HEADER];
        this.deliveries.push({
          id: event.id,
          type: event.type,
          headerId: req.headers['parley-event-id'] as string | undefined,
          signatureValid: verifyWebhookSignature(
            this.secret,
            typeof signature === 'string' ? signature : undefined,
            body,
          ),
          at: performance.now(),
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Deliveries per event id. */
  countsById(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { id } of this.deliveries) counts.set(id, (counts.get(id) ?? 0) + 1);
    return counts;
  }
}
