/**
 * The customer's webhook receiver is down while calls happen. The server keeps each event in its
 * outbox and retries with backoff (shortened here through PARLEY_WEBHOOK_RETRY_BASE_MS and
 * PARLEY_WEBHOOK_RETRY_MAX_MS); once the receiver is back, every event arrives, signed, once.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { dispose } from '@livekit/rtc-node';
import { WebhookEventTypeSchema, type WebhookDelivery } from '@parley/contracts';
import type { Persona } from '@parley/contracts';
import { admin, callOfRoom, eventually } from '../support/calls.js';
import { personaOf } from '../support/stack-env.js';
import { startChaosStack, type ChaosStack } from './chaos-stack.js';
import { figure } from './figures.js';
import type { UtteranceBank } from '../support/voice-session.js';
import { ask, callIn, suiteUtterances } from './voice-call.js';
import { WebhookReceiver } from './webhook-receiver.js';

const SUITE = 'webhook-receiver';
const SECRET = 'whsec_chaos_suite_receiver_secret';
const QUESTION = 'Where are you located?';
/** Failed attempts every delivery must have had before the receiver comes back. */
const FAILED_ATTEMPTS = 3;

let stack: ChaosStack;
let persona: Persona;
const receiver = new WebhookReceiver(SECRET);
let speech: Awaited<ReturnType<typeof suiteUtterances>>;
let utterances: UtteranceBank;

before(async () => {
  speech = await suiteUtterances();
  utterances = speech.utterances;
  stack = await startChaosStack(SUITE, 3, {
    // 1 s, 2 s, 4 s … 15 s: the tenth and last attempt comes 90 s after the first
    serverEnv: { PARLEY_WEBHOOK_RETRY_BASE_MS: '1000', PARLEY_WEBHOOK_RETRY_MAX_MS: '15000' },
  });
  persona = await personaOf(stack);
});

after(async () => {
  await receiver.stop();
  await dispose();
  await stack?.release();
  await speech?.dispose();
});

async function deliveriesTo(endpointId: string): Promise<WebhookDelivery[]> {
  const { data } = await admin<{ data: WebhookDelivery[] }>(
    stack,
    `/v1/webhook-deliveries?endpointId=${endpointId}&limit=100`,
  );
  return data;
}

test('when the webhook receiver is down during calls, every event is retried and arrives once it is back, signed, exactly once', async (t) => {
  // Take a port, then go down: the endpoint is registered while nothing listens there.
  await receiver.start();
  const url = receiver.url;
  await receiver.stop();
  const downAt = performance.now();
  const endpoint = await admin<{ id: string }>(stack, '/v1/webhook-endpoints', {
    method: 'POST',
    body: JSON.stringify({ url, events: WebhookEventTypeSchema.options, secret: SECRET }),
  });

  const callIds: string[] = [];
  for (let i = 0; i < 2; i++) {
    const session = await callIn(stack, persona);
    t.after(() => session.close());
    await ask(session, utterances, persona, QUESTION);
    await session.close();
    const call = await eventually(
      'the call closed',
      () => callOfRoom(stack, session.roomName),
      (c) => c.status === 'ended',
      30_000,
    );
    callIds.push(call.id);
  }
  const expected = callIds.flatMap((id) =>
    ['started', 'ended', 'insights'].map((e) => `${id}.${e}`),
  );

  const failing = await eventually(
    `every event queued and failed ${FAILED_ATTEMPTS} times`,
    () => deliveriesTo(endpoint.id),
    (all) => all.length === expected.length && all.every((d) => d.attempts >= FAILED_ATTEMPTS),
    60_000,
  );
  assert.deepEqual(failing.map((d) => d.eventId).sort(), [...expected].sort());
  for (const delivery of failing) {
    assert.equal(delivery.status, 'pending', `${delivery.eventId} is still being retried`);
    assert.match(delivery.lastError ?? '', /fetch failed|ECONNREFUSED/);
  }
  assert.equal(receiver.deliveries.length, 0, 'nothing reached the receiver while it was down');

  await receiver.start();
  const upAt = performance.now();
  figure(t, SUITE, 'receiver down', upAt - downAt);
  const delivered = await eventually(
    'every delivery delivered',
    () => deliveriesTo(endpoint.id),
    (all) => all.every((d) => d.status === 'delivered'),
    30_000,
  );
  const lastArrival = Math.max(...receiver.deliveries.map((d) => d.at));
  figure(t, SUITE, 'receiver back to the last event delivered', lastArrival - upAt);
  t.diagnostic(`attempts per delivery: ${delivered.map((d) => d.attempts).join(', ')}`);

  assert.deepEqual(
    [...receiver.countsById()].sort(),
    [...expected].sort().map((id) => [id, 1]),
    'each event arrived exactly once, none lost',
  );
  for (const delivery of receiver.deliveries) {
    assert.equal(delivery.signatureValid, true, `${delivery.id} is signed with the secret`);
    assert.equal(delivery.headerId, delivery.id);
  }
});
