/**
 * `opt_out` and `schedule_callback` against the real server app (on PGlite) in this process: the
 * number they act on is the call record's, and what the caller said travels with a call back.
 */
import { initializeLogger, llm } from '@livekit/agents';
import { type CallInput, type PersonaInput, PersonaSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { EVERY_DAY_NINE_TO_FIVE_UTC, utcDayAt } from '@parley/server/testing';
import { CallApi } from '../recording/call-api.js';
import { AGENT_KEY, ParleyTestServer } from '../../test/parley-test-server.js';
import { fakeToolCall, FakeControls } from '../../test/fake-call.js';
import { callbackContext, NO_NUMBER_TO_CALL_BACK } from './callback-tool.js';
import { createPersonaTools, spokenDateTime } from './index.js';

let server: ParleyTestServer;

const PERSONA: PersonaInput = {
  id: 'desk',
  name: 'Desk',
  greeting: 'Hello!',
  instructions: 'Help callers.',
  tools: ['schedule_callback'],
  businessHours: EVERY_DAY_NINE_TO_FIVE_UTC,
  phone: { optOutLine: 'Fine, you are off our list. Goodbye!' },
};

before(async () => {
  initializeLogger({ pretty: false, level: 'fatal' });
  server = await ParleyTestServer.start();
  const tenant = server.storage.forTenant(server.tenantId);
  await tenant.personas.create(PERSONA);
  await tenant.dialRules.setPolicy({ allowedPrefixes: ['+1555'], maxConcurrentPhoneCalls: 5 });
  await tenant.outboundTrunks.put({
    name: 'carrier',
    address: '127.0.0.1:5099',
    numbers: ['+15550009999'],
    transport: 'udp',
    trunkId: 'ST_carrier',
  });
});

after(() => server.stop());

const records = () => server.storage.forTenant(server.tenantId);

/** A call of `channel` (a phone call from `caller`), with the persona's tools for it. */
async function newCall(channel: 'web' | 'phone', caller?: string) {
  const call: CallInput = {
    personaId: 'desk',
    channel,
    roomName: `${channel}_${randomUUID()}`,
    ...(caller && { caller: { phoneNumber: caller }, participantIdentity: `sip_${caller}` }),
  };
  const api = new CallApi({ serverUrl: server.url, agentKey: AGENT_KEY });
  const callId = await api.send({ type: 'create', call }, undefined);
  const controls = new FakeControls();
  const tools = createPersonaTools({
    persona: PersonaSchema.parse(PERSONA),
    channel,
    server: { serverUrl: server.url, agentKey: AGENT_KEY },
    callId: async () => callId,
    controls,
    rpc: { call: () => Promise.reject(new Error('no page in this test')) },
  });
  const tool = (name: string) => {
    const found = tools.getFunctionTool(name);
    assert.ok(found, `${name} is offered`);
    return found;
  };
  return { callId, controls, tool };
}

function chatOf(...said: string[]): llm.ChatContext {
  const chat = llm.ChatContext.empty();
  chat.addMessage({ role: 'assistant', content: 'Hello!' });
  for (const text of said) chat.addMessage({ role: 'user', content: text });
  return chat;
}

describe('opt_out', () => {
  test("when a phone caller opts out, then the call's number is on the do-not-call list and the persona's line is said before the call ends", async () => {
    const { callId, controls, tool } = await newCall('phone', '+15551110001');
    const call = fakeToolCall();
    assert.equal(await tool('opt_out').execute({}, call.opts), undefined);
    call.finishSpeech();
    assert.deepEqual(controls.log, [
      'say: Fine, you are off our list. Goodbye!',
      'end: completed (the caller asked not to be called again)',
    ]);
    const listed = await records().dialRules.listDoNotCall();
    assert.deepEqual(
      listed.map((e) => [e.e164, e.reason]),
      [['+15551110001', `asked not to be called again on call ${callId}`]],
    );
  });
});

describe('schedule_callback', () => {
  test('when a phone caller asks for a time outside calling hours, then the call back is at the next opening, and what they said goes with it', async () => {
    const { callId, tool } = await newCall('phone', '+15551110002');
    const history = chatOf(
      'my invoice is wrong',
      'can you call me back the day after tomorrow at 8 pm',
    );
    const answer = await tool('schedule_callback').execute(
      { at: utcDayAt(2, 20).toISOString(), topic: 'a wrong invoice' },
      fakeToolCall(history).opts,
    );
    const nextOpening = utcDayAt(3, 9);
    assert.deepEqual(answer, {
      scheduledFor: nextOpening.toISOString(),
      movedIntoCallingHours: true,
      message: `That's outside our calling hours, so we'll call you back on ${spokenDateTime(nextOpening, 'UTC', 'en-US')}.`,
    });
    const [scheduled] = (await records().scheduledCalls.list()).filter(
      (s) => s.requestedInCallId === callId,
    );
    assert.equal(scheduled?.kind, 'callback');
    assert.equal(scheduled?.to, '+15551110002');
    assert.equal(
      scheduled?.variables.callback_context,
      'The caller wants to talk about: a wrong invoice. 2 caller turns. Caller said: ' +
        '"my invoice is wrong"; "can you call me back the day after tomorrow at 8 pm".',
    );
  });

  test('when a web visitor has no phone number, then the model hears there is none to call back, and nothing is scheduled', async () => {
    const { callId, tool } = await newCall('web');
    await assert.rejects(
      tool('schedule_callback').execute({ at: utcDayAt(1, 10).toISOString() }, fakeToolCall().opts),
      (error) => error instanceof llm.ToolError && error.message === NO_NUMBER_TO_CALL_BACK,
    );
    const mine = (await records().scheduledCalls.list()).filter(
      (s) => s.requestedInCallId === callId,
    );
    assert.deepEqual(mine, []);
  });

  test('when the model gives a time that is long past, then it hears the server say so', async () => {
    const { tool } = await newCall('phone', '+15551110003');
    await assert.rejects(
      tool('schedule_callback').execute(
        { at: utcDayAt(-2, 10).toISOString() },
        fakeToolCall().opts,
      ),
      (error) => error instanceof llm.ToolError && /has already passed/.test(error.message),
    );
  });
});

describe('callbackContext', () => {
  test('without a topic or anything said, there is none; a long one is cut to what a variable holds', () => {
    assert.equal(callbackContext(undefined, chatOf()), undefined);
    assert.equal(callbackContext('  ', chatOf()), undefined);
    const long = callbackContext('x'.repeat(2000), chatOf('y'.repeat(2000)));
    assert.equal(long?.length, 1000);
    assert.match(long ?? '', /^The caller wants to talk about: x+$/);
  });
});
