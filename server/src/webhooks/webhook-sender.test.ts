import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Storage, type TenantStorage } from '../storage/index.js';
import { pglite } from '../../test/test-backends.js';
import { WebhookSender } from './webhook-sender.js';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.js';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let storage: Storage;
let tenant: TenantStorage;
let receiver: Server;
let receiverUrl = '';
let answer = 200;
const received: Received[] = [];

before(async () => {
  storage = await Storage.open({ ...(await pglite.fresh()), webhookRetry: { baseDelayMs: 1 } });
  tenant = storage.forTenant((await storage.ensureDefaultTenant()).id);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = answer;
      res.end();
    });
  });
  receiver.listen(0, '127.0.0.1');
  await new Promise((resolve) => receiver.once('listening', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});

after(async () => {
  await new Promise((resolve) => receiver.close(resolve));
  await storage.close();
});

test('signatures verify over the exact body, and not when stale, tampered or keyed otherwise', () => {
  const header = signWebhook('s3cret-s3cret-s3cret', 1_000, '{"a":1}');
  assert.equal(verifyWebhookSignature('s3cret-s3cret-s3cret', header, '{"a":1}', 300, 1_100), true);
  assert.equal(
    verifyWebhookSignature('s3cret-s3cret-s3cret', header, '{"a":2}', 300, 1_100),
    false,
  );
  assert.equal(verifyWebhookSignature('another-secret-here', header, '{"a":1}', 300, 1_100), false);
  assert.equal(
    verifyWebhookSignature('s3cret-s3cret-s3cret', header, '{"a":1}', 300, 2_000),
    false,
  );
  assert.equal(verifyWebhookSignature('s3cret-s3cret-s3cret', 'garbage', '{"a":1}'), false);
});

test('a failed delivery is retried until the receiver accepts it; a new sender finishes the job', async () => {
  const endpoint = await tenant.webhooks.createEndpoint({
    url: receiverUrl,
    events: ['call.ended'],
  });
  await tenant.webhooks.enqueue({ id: 'call_x.ended', type: 'call.ended', payload: { n: 1 } });
  // Enqueuing the same event again (a retried close) queues nothing new.
  await tenant.webhooks.enqueue({ id: 'call_x.ended', type: 'call.ended', payload: { n: 1 } });

  answer = 503;
  const first = new WebhookSender({ queue: storage.webhookQueue, log: () => undefined });
  assert.equal(await first.tick(), 0);
  await first.stop();
  assert.equal(received.length, 1);
  const [failed] = await tenant.webhooks.listDeliveries({ endpointId: endpoint.id });
  assert.equal(failed?.status, 'pending');
  assert.equal(failed?.lastStatusCode, 503);

  // As after a restart: another sender, same database.
  answer = 200;
  const second = new WebhookSender({ queue: storage.webhookQueue, log: () => undefined });
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(await second.tick(), 1);
  await second.stop();
  const [delivered] = await tenant.webhooks.listDeliveries({ endpointId: endpoint.id });
  assert.equal(delivered?.status, 'delivered');
  assert.equal(delivered?.attempts, 2);

  assert.equal(received.length, 2);
  const last = received[1];
  assert.ok(last);
  assert.equal(last.headers['parley-event-id'], 'call_x.ended');
  assert.equal(
    verifyWebhookSignature(endpoint.secret, String(last.headers['parley-signature']), last.body),
    true,
  );
  assert.deepEqual(JSON.parse(last.body), {
    id: 'call_x.ended',
    type: 'call.ended',
    createdAt: delivered?.createdAt,
    data: { n: 1 },
  });
});
