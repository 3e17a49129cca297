import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { WebhookEvent } from 'livekit-server-sdk';
import { DomainError } from '../domain-errors.js';
import { livekitEventHandler } from './livekit-events.js';
import { Storage, type TenantStorage } from '../storage/index.js';
import { pglite } from '../../test/test-backends.js';

let storage: Storage;
let tenant: TenantStorage;

before(async () => {
  storage = await Storage.open(await pglite.fresh());
  tenant = storage.forTenant((await storage.ensureDefaultTenant()).id);
  await tenant.webhooks.createEndpoint({
    url: 'https://hooks.example/ended',
    events: ['call.ended'],
  });
});
after(() => storage.close());

const finished = (room: string) =>
  ({ event: 'room_finished', id: `EV_${room}`, room: { name: room } }) as unknown as WebhookEvent;

const participant = (
  event: 'participant_joined' | 'participant_left',
  id: string,
  room: string,
  identity: string,
  kind: number,
  createdAt: number,
) =>
  ({
    event,
    id,
    createdAt: BigInt(createdAt),
    room: { name: room },
    participant: { identity, kind },
  }) as unknown as WebhookEvent;

test('when a room finishes with its call still open, the call is closed as failed, turns kept', async () => {
  const { calls } = tenant;
  const call = await calls.create({ personaId: 'default', channel: 'web', roomName: 'web_crash' });
  await calls.appendTurn(call.id, 'j:1', { userText: 'hello', agentText: 'hi' });
  const lines: string[] = [];
  await livekitEventHandler(tenant, (l) => lines.push(l))(finished('web_crash'));
  const after = await calls.get(call.id);
  assert.equal(after?.status, 'ended');
  assert.equal(after?.outcome, 'failed');
  assert.equal(after?.closedBy, 'livekit');
  assert.equal(after?.turns.length, 1);
  assert.ok(lines.some((l) => l.includes(`closed call ${call.id}`)));
  const ended = (await tenant.webhooks.listDeliveries()).filter(
    (d) => d.eventId === `${call.id}.ended`,
  );
  assert.equal(ended.length, 1, 'the customer hears that the call ended');
});

test('a call the agent already closed keeps its own outcome', async () => {
  const { calls } = tenant;
  const call = await calls.create({ personaId: 'default', channel: 'web', roomName: 'web_clean' });
  await calls.close(call.id, { outcome: 'completed' });
  await livekitEventHandler(tenant, () => undefined)(finished('web_clean'));
  const after = await calls.get(call.id);
  assert.equal(after?.outcome, 'completed');
  assert.equal(after?.closedBy, 'agent');
});

test('when the agent flushes its spool after the room finished, its turns and close win', async () => {
  const { calls } = tenant;
  const call = await calls.create({
    personaId: 'default',
    channel: 'web',
    roomName: 'web_outage',
    startedAt: '2030-01-01T10:00:00.000Z',
  });
  await calls.appendTurn(call.id, 'j:1', { userText: 'hello', agentText: 'hi' });
  // The server was unreachable for the rest of the call; LiveKit reports the room finished.
  await livekitEventHandler(tenant, () => undefined)(finished('web_outage'));

  // The agent's spool flushes: the turns it kept, then its close.
  const spooled = await calls.appendTurn(call.id, 'j:2', { userText: 'bye', agentText: 'bye!' });
  assert.equal(spooled.created, true);
  const closed = await calls.close(call.id, {
    outcome: 'completed',
    summary: 'Said hello.',
    leadTemperature: 'warm',
    costUsd: 0.01,
    endedAt: '2030-01-01T10:02:00.000Z',
  });
  assert.equal(closed.closed, true);
  assert.deepEqual(
    [closed.call.outcome, closed.call.summary, closed.call.leadTemperature, closed.call.costUsd],
    ['completed', 'Said hello.', 'warm', 0.01],
  );
  assert.equal(closed.call.closedBy, 'agent');
  assert.equal(closed.call.durationMs, 120_000);

  // Replayed again (a second flusher): the agent's first close stays, appends are refused.
  const again = await calls.close(call.id, { outcome: 'failed', summary: 'other' });
  assert.equal(again.closed, false);
  assert.equal(again.call.outcome, 'completed');
  assert.equal((await calls.appendTurn(call.id, 'j:2', { userText: 'bye' })).created, false);
  await assert.rejects(
    calls.appendTurn(call.id, 'j:3', { userText: 'late' }),
    (err: unknown) => err instanceof DomainError && err.code === 'conflict',
  );
  assert.deepEqual(
    (await calls.get(call.id))?.turns.map((t) => t.idempotencyKey),
    ['j:1', 'j:2'],
  );
  // A late room_finished (replayed by LiveKit) no longer touches the agent's close.
  await livekitEventHandler(tenant, () => undefined)(finished('web_outage'));
  assert.equal((await calls.get(call.id))?.outcome, 'completed');
});

test('when the agent closes after LiveKit without an end time, the room end time is kept', async () => {
  const { calls } = tenant;
  const call = await calls.create({ personaId: 'default', channel: 'web', roomName: 'web_late' });
  await livekitEventHandler(tenant, () => undefined)(finished('web_late'));
  const provisional = await calls.get(call.id);
  const { call: final } = await calls.close(call.id, { outcome: 'abandoned' });
  assert.equal(final.outcome, 'abandoned');
  assert.equal(final.endedAt, provisional?.endedAt);
});

test('participants joining and leaving are kept with the call of their room, once each', async () => {
  const { calls, callEvents } = tenant;
  const handle = livekitEventHandler(tenant, () => undefined);
  const t0 = Math.floor(Date.UTC(2030, 0, 1, 9) / 1000);
  // The visitor joins before the agent has created the call.
  await handle(participant('participant_joined', 'EV_j1', 'web_events', 'visitor_1', 0, t0));
  const call = await calls.create({ personaId: 'default', channel: 'web', roomName: 'web_events' });
  await handle(participant('participant_joined', 'EV_j2', 'web_events', 'agent-AJ_1', 4, t0 + 1));
  await handle(participant('participant_left', 'EV_l1', 'web_events', 'visitor_1', 0, t0 + 60));
  await handle(participant('participant_left', 'EV_l1', 'web_events', 'visitor_1', 0, t0 + 60));
  await handle(participant('participant_joined', 'EV_o1', 'web_other', 'someone', 3, t0));

  assert.deepEqual(await callEvents.listForCall(call.id), [
    {
      type: 'participant_joined',
      identity: 'visitor_1',
      kind: 'standard',
      at: '2030-01-01T09:00:00.000Z',
    },
    {
      type: 'participant_joined',
      identity: 'agent-AJ_1',
      kind: 'agent',
      at: '2030-01-01T09:00:01.000Z',
    },
    {
      type: 'participant_left',
      identity: 'visitor_1',
      kind: 'standard',
      at: '2030-01-01T09:01:00.000Z',
    },
  ]);
});
