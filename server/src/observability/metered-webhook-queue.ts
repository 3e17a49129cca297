import type { WebhookQueue } from '../storage/index.js';
import type { Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';

/**
 * The webhook outbox as the sender should see it: each delivery attempt it records is also
 * counted (delivered, retrying, failed for good) and a failed attempt is logged.
 */
export function meteredWebhookQueue(
  queue: WebhookQueue,
  metrics: ServerMetrics,
  logger: Logger,
): WebhookQueue {
  const metered = Object.create(queue) as WebhookQueue;

  metered.markDelivered = async (...args) => {
    const delivery = await queue.markDelivered(...args);
    metrics.webhookAttempted('delivered');
    return delivery;
  };

  metered.markFailed = async (...args) => {
    const delivery = await queue.markFailed(...args);
    const givenUp = delivery.status === 'failed';
    metrics.webhookAttempted(givenUp ? 'failed' : 'retrying');
    logger.warn(
      {
        deliveryId: delivery.id,
        eventId: delivery.eventId,
        eventType: delivery.eventType,
        attempts: delivery.attempts,
        statusCode: delivery.lastStatusCode,
        error: delivery.lastError,
      },
      givenUp ? 'webhook delivery given up' : 'webhook delivery failed; will retry',
    );
    return delivery;
  };

  return metered;
}
