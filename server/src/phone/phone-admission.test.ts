import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WebhookEvent } from 'livekit-server-sdk';
import { WorkerRegistry } from '../livekit/worker-registry.js';
import { openFresh, pglite } from '../../test/test-backends.js';
import { admitPhoneCallers } from './phone-admission.js';

const joined = (room: string, kind: number, attributes: Record<string, string> = {}) =>
  ({
    event: 'participant_joined',
    id: `EV_${room}_${kind}`,
    room: { name: room },
    participant: { identity: `p_${room}`, kind, attributes },
  }) as unknown as WebhookEvent;

const SIP = 3;
const CALLER = { 'sip.ruleID': 'SDR_1', 'sip.phoneNumber': '+15557000009' };

/** One worker running `active` of `max` calls, in a database of its own. */
async function setUp(active: number, max: number) {
  const workers = new WorkerRegistry((await openFresh(pglite)).db);
  await workers.heartbeat('AW_1', { activeJobs: active, maxJobs: max });
  const closed: string[] = [];
  const passedOn: string[] = [];
  const handle = admitPhoneCallers(
    { workers, closeRoom: async (room) => void closed.push(room), log: () => {} },
    (event) => void passedOn.push(event.id),
  );
  return { workers, closed, passedOn, handle };
}

test('a caller arriving while every worker is full: the room is closed at once, the event still recorded', async () => {
  const { closed, passedOn, handle } = await setUp(2, 2);
  await handle(joined('phone-_+15557000009_abc', SIP, CALLER));
  assert.deepEqual(closed, ['phone-_+15557000009_abc']);
  assert.deepEqual(passedOn, ['EV_phone-_+15557000009_abc_3']);
});

test('a caller arriving with a free slot is let in and takes the slot from the next visitor', async () => {
  const { workers, closed, handle } = await setUp(1, 2);
  await handle(joined('phone-_+15557000009_abc', SIP, CALLER));
  assert.deepEqual(closed, []);
  assert.equal(await workers.freeSlots(), 0);
  assert.equal((await workers.admit()).admitted, false);
});

test('legs Parley dials itself, agents and web visitors are not checked, even when full', async () => {
  const { closed, passedOn, handle } = await setUp(2, 2);
  await handle(joined('phone-out-abc', SIP, { 'sip.phoneNumber': '+15557000009' }));
  await handle(joined('phone-_+15557000009_abc', SIP, { 'sip.phoneNumber': '+15550009999' }));
  await handle(joined('phone-_+15557000009_abc', 4));
  await handle(joined('web_abc', 0));
  assert.deepEqual(closed, []);
  assert.equal(passedOn.length, 4);
});
