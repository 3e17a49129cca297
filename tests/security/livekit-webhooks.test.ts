/**
 * LiveKit's webhooks on the running server: only events signed with the stack's LiveKit key pair,
 * over the exact body, fresh and seen once, are acted on. Each refused delivery is checked
 * against the call record it would have changed.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { AccessToken } from 'livekit-server-sdk';
import { admin, type StoredCall } from '../support/calls.js';
import { testStack, type TestStack } from '../support/stack-env.js';

let stack: TestStack;
/** The call of a room no LiveKit room backs: only these crafted events can touch it. */
let call: StoredCall;

/** livekit-server's webhook, as it sends it: protobuf JSON of a `WebhookEvent`. */
function webhookBody(event: 'room_finished' | 'participant_joined', createdAtSec: number) {
  return JSON.stringify({
    event,
    id: `EV_${randomBytes(9).toString('base64url')}`,
    createdAt: String(createdAtSec),
    room: { sid: 'RM_security', name: call.roomName },
    ...(event === 'participant_joined' && {
      participant: { sid: 'PA_security', identity: 'visitor_security', kind: 'STANDARD' },
    }),
  });
}

/** What livekit-server puts in `Authorization`: a JWT by its API key carrying the body's sha256. */
async function signature(body: string, secret = stack.secrets.livekitApiSecret): Promise<string> {
  const token = new AccessToken(stack.secrets.livekitApiKey, secret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return token.toJwt();
}

async function deliver(body: string, authorization?: string) {
  const res = await fetch(`${stack.url}/webhooks/livekit`, {
    method: 'POST',
    headers: {
      'content-type': 'application/webhook+json',
      ...(authorization !== undefined && { authorization }),
    },
    body,
  });
  const text = await res.text();
  const code = text ? (JSON.parse(text) as { error?: { code?: string } }).error?.code : undefined;
  return { status: res.status, code };
}

const nowSec = () => Math.floor(Date.now() / 1000);
const stored = () => admin<StoredCall & { events: unknown[] }>(stack, `/v1/calls/${call.id}`);

async function assertUntouched(): Promise<void> {
  const now = await stored();
  assert.equal(now.status, 'active', 'the call is still open');
  assert.equal(now.closedBy, undefined);
}

before(async () => {
  stack = await testStack();
  const res = await fetch(`${stack.url}/internal/calls`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${stack.secrets.agentKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      personaId: 'default',
      channel: 'web',
      roomName: `security_webhooks_${randomUUID()}`,
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  call = (await res.json()) as StoredCall;
});

after(() => stack.release());

describe('LiveKit webhooks on the running server', () => {
  test('when a room_finished is signed with a secret other than the stack secret, then it is refused with 401 and the call stays open', async () => {
    const body = webhookBody('room_finished', nowSec());
    const forged = await signature(body, randomBytes(32).toString('base64url'));
    assert.deepEqual(await deliver(body, forged), { status: 401, code: 'unauthorized' });
    assert.deepEqual(await deliver(body), { status: 401, code: 'unauthorized' });
    assert.deepEqual(await deliver(body, 'not-a-jwt'), { status: 401, code: 'unauthorized' });
    await assertUntouched();
  });

  test('when a correctly signed body is swapped for another, then the signature no longer matches: 401, the call stays open', async () => {
    const signedFor = webhookBody('participant_joined', nowSec());
    const tampered = webhookBody('room_finished', nowSec());
    assert.deepEqual(await deliver(tampered, await signature(signedFor)), {
      status: 401,
      code: 'unauthorized',
    });
    // One byte appended to the body it was signed for is enough.
    assert.deepEqual(await deliver(`${tampered} `, await signature(tampered)), {
      status: 401,
      code: 'unauthorized',
    });
    await assertUntouched();
  });

  test('when a correctly signed event is more than five minutes old (or ahead), then it is refused as stale: 401, the call stays open', async () => {
    for (const createdAt of [nowSec() - 10 * 60, nowSec() + 10 * 60]) {
      const body = webhookBody('room_finished', createdAt);
      assert.deepEqual(await deliver(body, await signature(body)), {
        status: 401,
        code: 'unauthorized',
      });
    }
    await assertUntouched();
  });

  test('when a signed event is delivered again, then the replay is refused with 409 and stored once', async () => {
    const body = webhookBody('participant_joined', nowSec());
    const auth = await signature(body);
    assert.deepEqual(await deliver(body, auth), { status: 204, code: undefined });
    const once = (await stored()).events;
    assert.equal(once.length, 1, 'the genuine event was recorded');
    assert.deepEqual(await deliver(body, auth), { status: 409, code: 'conflict' });
    assert.deepEqual((await stored()).events, once);
    await assertUntouched();
  });

  test('when the genuine room_finished arrives, then it is accepted and closes the call (what every refused event would have done)', async () => {
    const body = webhookBody('room_finished', nowSec());
    assert.deepEqual(await deliver(body, await signature(body)), { status: 204, code: undefined });
    const closed = await stored();
    assert.equal(closed.status, 'ended');
    assert.equal(closed.closedBy, 'livekit');
    assert.equal(closed.outcome, 'failed');
  });
});
