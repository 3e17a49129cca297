import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { LookupAddress } from 'node:dns';
import { LOOPBACK_RANGES, OutgoingGuard } from '../http/outgoing-guard.js';
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
let location: string | undefined;
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
      if (location) res.setHeader('location', location);
      res.end();
    });
  });
  receiver.listen(0, '127.0.0.1');
  await new Promise((resolve) => receiver.once('listening', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});

/** Receivers in this file are on loopback, which the operator allows here, as the test stack does. */
const outgoing = new OutgoingGuard({ allow: LOOPBACK_RANGES });

after(async () => {
  await outgoing.close();
  await new Promise((resolve) => receiver.close(resolve));
  await storage.close();
});

/** A resolver for host names in these tests: every name is `address`; `asked` records the names. */
function resolvingTo(address: string) {
  const asked: string[] = [];
  const lookup = (hostname: string): Promise<LookupAddress[]> => {
    asked.push(hostname);
    return Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }]);
  };
  return { asked, lookup };
}

/** Ticks `sender` until no delivery of `endpointId` is pending; answers the deliveries. */
async function settle(sender: WebhookSender, endpointId: string) {
  // Retries back off from 1 ms, doubling: ten attempts take about half a second.
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    const deliveries = await tenant.webhooks.listDeliveries({ endpointId });
    if (deliveries.every((d) => d.status !== 'pending')) return deliveries;
    await sender.tick();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('deliveries still pending after 15 s');
}

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
  const first = new WebhookSender({ queue: storage.webhookQueue, outgoing, log: () => undefined });
  assert.equal(await first.tick(), 0);
  await first.stop();
  assert.equal(received.length, 1);
  const [failed] = await tenant.webhooks.listDeliveries({ endpointId: endpoint.id });
  assert.equal(failed?.status, 'pending');
  assert.equal(failed?.lastStatusCode, 503);

  // As after a restart: another sender, same database.
  answer = 200;
  const second = new WebhookSender({ queue: storage.webhookQueue, outgoing, log: () => undefined });
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

test('when an endpoint is on loopback and no range is allowed, then it is never called: each attempt records the refusal until the delivery gives up', async () => {
  const endpoint = await tenant.webhooks.createEndpoint({
    url: receiverUrl,
    events: ['lead.captured'],
  });
  await tenant.webhooks.enqueue({ id: 'lead_1.captured', type: 'lead.captured', payload: {} });
  const before = received.length;
  const sender = new WebhookSender({ queue: storage.webhookQueue, log: () => undefined });

  const [delivery] = await settle(sender, endpoint.id);
  assert.equal(received.length, before, 'the receiver was never reached');
  assert.equal(delivery?.status, 'failed');
  assert.equal(delivery?.attempts, 10);
  assert.match(
    delivery?.lastError ?? '',
    /^refused to connect to 127\.0\.0\.1: a loopback address/,
  );
  assert.equal(delivery?.lastStatusCode, undefined);
});

test('when an endpoint host name resolves to a private address, then the delivery is refused after resolution', async () => {
  const { port } = receiver.address() as AddressInfo;
  const endpoint = await tenant.webhooks.createEndpoint({
    url: `http://hooks.example:${port}/hooks`,
    events: ['appointment.booked'],
  });
  await tenant.webhooks.enqueue({ id: 'appt_1.booked', type: 'appointment.booked', payload: {} });
  const before = received.length;
  const { asked, lookup } = resolvingTo('10.0.0.7');
  const guard = new OutgoingGuard({ allow: LOOPBACK_RANGES, lookup });
  const sender = new WebhookSender({
    queue: storage.webhookQueue,
    outgoing: guard,
    log: () => undefined,
  });

  const [delivery] = await settle(sender, endpoint.id);
  assert.equal(received.length, before);
  assert.equal(delivery?.status, 'failed');
  assert.match(delivery?.lastError ?? '', /hooks\.example \(10\.0\.0\.7\): a private address/);
  assert.ok(asked.every((name) => name === 'hooks.example'));
  await guard.close();
});

test('when an endpoint redirects to a refused address, then the redirect is not followed and the attempt fails', async () => {
  const endpoint = await tenant.webhooks.createEndpoint({
    url: receiverUrl,
    events: ['call.insights'],
  });
  await tenant.webhooks.enqueue({ id: 'call_y.insights', type: 'call.insights', payload: {} });
  const { asked, lookup } = resolvingTo('169.254.169.254');
  const guard = new OutgoingGuard({ allow: LOOPBACK_RANGES, lookup });
  const sender = new WebhookSender({
    queue: storage.webhookQueue,
    outgoing: guard,
    log: () => undefined,
  });
  answer = 302;
  location = 'http://metadata.example/latest/meta-data/';

  try {
    assert.equal(await sender.tick(), 0);
  } finally {
    answer = 200;
    location = undefined;
  }
  const [delivery] = await tenant.webhooks.listDeliveries({ endpointId: endpoint.id });
  assert.deepEqual([delivery?.lastStatusCode, delivery?.lastError], [302, 'HTTP 302']);
  assert.deepEqual(asked, [], 'the redirect target was never resolved, let alone called');
  await settle(sender, endpoint.id);
  await guard.close();
});
