/**
 * The agent's phone routes against the real Parley server (its Express app on PGlite, in this
 * process): a returning caller's history by number, a call's legs and warnings.
 */
import type { CallInput } from '@parley/contracts';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CallApi } from '../recording/call-api.js';
import { AGENT_KEY, ParleyTestServer } from '../../test/parley-test-server.js';
import { PhoneApi } from './phone-api.js';

const CALLER = '+15557300001';
let server: ParleyTestServer;
let api: PhoneApi;

before(async () => {
  server = await ParleyTestServer.start();
  api = new PhoneApi({ serverUrl: server.url, agentKey: AGENT_KEY });
});

after(async () => {
  await server.stop();
});

const phoneCall = (roomName: string): CallInput => ({
  personaId: 'default',
  channel: 'phone',
  roomName,
  participantIdentity: `sip_${CALLER}`,
  caller: { phoneNumber: CALLER },
});

test('a first-time caller has no history; after a call with a summary, they are remembered by number', async () => {
  assert.deepEqual(await api.callerHistory(CALLER), { previousCalls: 0 });
  const calls = new CallApi({ serverUrl: server.url, agentKey: AGENT_KEY });
  const id = await calls.send({ type: 'create', call: phoneCall('phone-api-1') }, undefined);
  await calls.send(
    { type: 'close', close: { outcome: 'completed', summary: 'Asked about opening hours.' } },
    id,
  );
  const history = await api.callerHistory(CALLER);
  assert.equal(history.previousCalls, 1);
  assert.equal(history.lastSummary, 'Asked about opening hours.');
  assert.equal((await api.callerHistory('+15557300999')).previousCalls, 0, 'by number');
});

test('legs and warnings the agent reports are stored on the call', async () => {
  const calls = new CallApi({ serverUrl: server.url, agentKey: AGENT_KEY });
  const id = await calls.send({ type: 'create', call: phoneCall('phone-api-2') }, undefined);
  await api.reportLeg(id, {
    kind: 'phone',
    identity: 'phone-1',
    phoneNumber: CALLER,
    direction: 'outbound',
    status: 'answered',
  });
  await api.reportWarning(id, { code: 'narrowband_audio', message: 'narrowband' });
  const stored = await server.callOfRoom('phone-api-2');
  assert.ok(stored?.legs.some((l) => l.identity === 'phone-1' && l.status === 'answered'));
  assert.deepEqual(
    stored?.warnings.map((w) => w.code),
    ['narrowband_audio'],
  );
});
