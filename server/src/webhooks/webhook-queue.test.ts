import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { DomainError } from '../domain-errors.js';
import { Storage } from '../storage/storage.js';
import { forEachBackend, newTenant, openFresh } from '../../test/test-backends.js';

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const RETRY = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 1500, leaseMs: 60_000 };

forEachBackend((backend) => {
  let storage: Storage;
  before(async () => {
    storage = await openFresh(backend);
  });

  test('when an event is enqueued twice, then each subscribed endpoint gets it once', async () => {
    const { webhooks } = storage.forTenant(await newTenant(storage));
    const calls = await webhooks.createEndpoint({
      url: 'https://crm.example/hook',
      events: ['call.ended', 'call.started'],
    });
    await webhooks.createEndpoint({ url: 'https://leads.example/', events: ['lead.captured'] });
    const event = { id: 'evt_1', type: 'call.ended' as const, payload: { callId: 'call_1' } };

    const first = await webhooks.enqueue(event);
    const again = await webhooks.enqueue(event);

    assert.match(calls.secret, /^whsec_/);
    assert.deepEqual(
      first.map((d) => [d.endpointId, d.eventId, d.status, d.attempts]),
      [[calls.id, 'evt_1', 'pending', 0]],
    );
    assert.deepEqual(again, []);
    assert.equal((await webhooks.listDeliveries()).length, 1);
  });

  test('when a delivery fails, then it is retried with growing delays and given up after the last attempt', async () => {
    const isolated = await Storage.open({ ...(await backend.fresh()), webhookRetry: RETRY });
    try {
      const { webhooks } = isolated.forTenant(await newTenant(isolated));
      const endpoint = await webhooks.createEndpoint({
        url: 'https://crm.example/hook',
        events: ['lead.captured'],
        secret: 'a-secret-of-sixteen+',
      });
      await webhooks.enqueue({ id: 'evt_2', type: 'lead.captured', payload: { leadId: 'l' } });
      const queue = isolated.webhookQueue;

      const [claimed] = await queue.claimDue(10, T0);
      assert.equal(claimed?.url, endpoint.url);
      assert.equal(claimed?.secret, 'a-secret-of-sixteen+');
      assert.equal(claimed?.attempts, 1);
      assert.deepEqual(await queue.claimDue(10, at(1)), [], 'a claimed delivery is leased');

      const failed = await queue.markFailed(claimed.id, {
        error: 'HTTP 500',
        statusCode: 500,
        now: T0,
      });
      assert.equal(failed.status, 'pending');
      assert.equal(failed.nextAttemptAt, at(1000).toISOString());
      assert.deepEqual(await queue.claimDue(10, at(999)), []);

      const [second] = await queue.claimDue(10, at(1000));
      assert.ok(second);
      assert.equal(second.attempts, 2);
      const again = await queue.markFailed(second.id, { error: 'timeout', now: at(1000) });
      assert.equal(again.nextAttemptAt, at(2500).toISOString(), 'doubled, capped at maxDelayMs');

      const [third] = await queue.claimDue(10, at(2500));
      assert.ok(third);
      const last = await queue.markFailed(third.id, { error: 'HTTP 502', now: at(2500) });
      assert.equal(last.status, 'failed');
      assert.equal(last.attempts, 3);
      assert.deepEqual(await queue.claimDue(10, at(10_000_000)), []);
    } finally {
      await isolated.close();
    }
  });

  test('when deliveries are pending and the database is reopened, then they are still due', async () => {
    const options = await backend.fresh();
    const before = await Storage.open(options);
    const { webhooks } = before.forTenant(await newTenant(before));
    await webhooks.createEndpoint({ url: 'https://crm.example/hook', events: ['call.started'] });
    await webhooks.enqueue({ id: 'evt_a', type: 'call.started', payload: { n: 1 } });
    await webhooks.enqueue({ id: 'evt_b', type: 'call.started', payload: { n: 2 } });
    const [inFlight] = await before.webhookQueue.claimDue(1, T0);
    await before.close();

    const after = await Storage.open({ ...options, webhookRetry: RETRY });
    try {
      const now = await after.webhookQueue.claimDue(10, at(1));
      assert.deepEqual(
        now.map((d) => [d.eventId, d.payload]),
        [['evt_b', { n: 2 }]],
      );
      const expired = await after.webhookQueue.claimDue(10, at(RETRY.leaseMs));
      assert.deepEqual(
        expired.map((d) => [d.eventId, d.attempts]),
        [[inFlight?.eventId, 2]],
        'a claim by a sender that died comes back when its lease runs out',
      );
      const [retried] = expired;
      assert.ok(retried);
      const delivered = await after.webhookQueue.markDelivered(retried.id, 204);
      assert.equal(delivered.status, 'delivered');
      assert.equal(delivered.lastStatusCode, 204);
      await assert.rejects(
        after.webhookQueue.markFailed(retried.id, { error: 'late' }),
        (err: unknown) => err instanceof DomainError && err.code === 'conflict',
      );
    } finally {
      await after.close();
    }
  });

  test("when tenant B lists or deletes endpoints, then tenant A's stay untouched", async () => {
    const a = storage.forTenant(await newTenant(storage, 'a'));
    const b = storage.forTenant(await newTenant(storage, 'b'));
    const endpoint = await a.webhooks.createEndpoint({
      url: 'https://a.example/',
      events: ['appointment.booked'],
    });
    await a.webhooks.enqueue({ id: 'evt_x', type: 'appointment.booked', payload: {} });
    assert.deepEqual(await b.webhooks.listEndpoints(), []);
    assert.deepEqual(await b.webhooks.listDeliveries(), []);
    assert.deepEqual(
      await b.webhooks.enqueue({ id: 'evt_x', type: 'appointment.booked', payload: {} }),
      [],
    );
    await assert.rejects(
      b.webhooks.deleteEndpoint(endpoint.id),
      (err: unknown) => err instanceof DomainError && err.code === 'not_found',
    );
    await a.webhooks.deleteEndpoint(endpoint.id);
    assert.deepEqual(await a.webhooks.listDeliveries(), [], 'its queued deliveries went with it');
  });
});
