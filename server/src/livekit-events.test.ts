import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { WebhookEvent } from 'livekit-server-sdk';
import { livekitEventHandler } from './livekit-events.js';
import { Storage, type CallRepo } from './storage/index.js';
import { pglite } from './storage/test-backends.js';

let storage: Storage;
let calls: CallRepo;

before(async () => {
  storage = await Storage.open(await pglite.fresh());
  calls = storage.forTenant((await storage.ensureDefaultTenant()).id).calls;
});
after(() => storage.close());

const finished = (room: string) =>
  ({ event: 'room_finished', id: `EV_${room}`, room: { name: room } }) as unknown as WebhookEvent;

test('when a room finishes with its call still open, the call is closed as failed, turns kept', async () => {
  const call = await calls.create({ personaId: 'default', channel: 'web', roomName: 'web_crash' });
  await calls.appendTurn(call.id, 'j:1', { userText: 'hello', agentText: 'hi' });
  const lines: string[] = [];
  await livekitEventHandler(calls, (l) => lines.push(l))(finished('web_crash'));
  const after = await calls.get(call.id);
  assert.equal(after?.status, 'ended');
  assert.equal(after?.outcome, 'failed');
  assert.equal(after?.turns.length, 1);
  assert.ok(lines.some((l) => l.includes(`closed call ${call.id}`)));
});

test('a call the agent already closed keeps its own outcome', async () => {
  const call = await calls.create({ personaId: 'default', channel: 'web', roomName: 'web_clean' });
  await calls.close(call.id, { outcome: 'completed' });
  await livekitEventHandler(calls, () => undefined)(finished('web_clean'));
  assert.equal((await calls.get(call.id))?.outcome, 'completed');
});
