/**
 * How the server reads a dial's outcome, against the real bridge: `LivekitPhoneDialer` (what
 * `POST /v1/calls/outbound`, transfers and "continue on my phone" dial with) rings a real SIP phone
 * (baresip) through livekit-sip that answers, refuses busy, rings out, or is not there at all.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { LivekitPhoneDialer } from '@parley/server';
import { SipPhone, type SipPhoneOptions } from '../support/sip-phone.js';
import { testStack, type TestStack } from '../support/stack-env.js';

const CALLER_ID = '+15550100019';

let stack: TestStack;
let dialer: LivekitPhoneDialer;
const phones: SipPhone[] = [];
const trunks: string[] = [];
const rooms: string[] = [];

/** A phone behind an outbound trunk of its own (the trunk's address is the phone's). */
async function phoneBehindTrunk(
  number: string,
  options: Omit<SipPhoneOptions, 'number'> = {},
): Promise<{ phone: SipPhone; trunkId: string }> {
  const phone = await SipPhone.start({ number, ...options });
  phones.push(phone);
  const { trunkId } = await dialer.createOutboundTrunk({
    name: `parley-suite:${number}`,
    address: phone.address,
    numbers: [CALLER_ID],
    transport: 'udp',
    metadata: '{}',
  });
  trunks.push(trunkId);
  return { phone, trunkId };
}

function dialRequest(trunkId: string, to: string, ringingTimeoutSeconds = 20) {
  const roomName = `dial-suite-${randomBytes(6).toString('hex')}`;
  rooms.push(roomName);
  return {
    trunkId,
    to,
    roomName,
    participantIdentity: `sip_${to.slice(1)}`,
    leg: 'outbound' as const,
    ringingTimeoutSeconds,
  };
}

before(async () => {
  stack = await testStack();
  dialer = new LivekitPhoneDialer({
    url: stack.livekitUrl,
    apiKey: stack.secrets.livekitApiKey,
    apiSecret: stack.secrets.livekitApiSecret,
  });
});

after(async () => {
  for (const phone of phones) await phone.stop();
  for (const trunkId of trunks) await dialer.deleteOutboundTrunk(trunkId);
  for (const room of rooms) await dialer.closeRoom(room);
  await stack.release();
});

test('a phone that picks up: the dial is answered and the leg is in the room', async () => {
  const to = '+15558100001';
  const { phone, trunkId } = await phoneBehindTrunk(to);
  const request = dialRequest(trunkId, to);
  const outcome = await dialer.dial(request);
  assert.deepEqual(outcome, { status: 'answered' });
  await phone.waitFor('CALL_ESTABLISHED', 10_000);
  assert.equal(await dialer.isInRoom(request.roomName, request.participantIdentity), true);
  assert.equal(await dialer.isInRoom(request.roomName, 'somebody-else'), false);
});

test('a phone that refuses the call: busy, with the SIP code the phone sent', async () => {
  const to = '+15558100002';
  const { trunkId } = await phoneBehindTrunk(to, { incoming: 'busy' });
  const outcome = await dialer.dial(dialRequest(trunkId, to));
  console.log(`# busy phone: ${JSON.stringify(outcome)}`);
  assert.equal(outcome.status, 'busy');
  assert.equal(outcome.sipStatusCode, 486);
});

test('a phone nobody picks up: it rings, then the dial ends no_answer at the ringing timeout', async () => {
  const to = '+15558100003';
  const { phone, trunkId } = await phoneBehindTrunk(to, { incoming: 'ring' });
  let rang = false;
  const outcome = await dialer.dial(dialRequest(trunkId, to, 5), () => {
    rang = true;
  });
  console.log(`# unanswered phone: ${JSON.stringify(outcome)}`);
  assert.equal(outcome.status, 'no_answer');
  assert.equal(rang, true, 'the ringing was seen');
  await phone.waitFor('CALL_INCOMING', 1_000);
});

test('a carrier that is not there: the dial failed', async () => {
  const { trunkId } = await dialer.createOutboundTrunk({
    name: 'parley-suite:nowhere',
    // TCP to a port nobody listens on: refused at once, no SIP response at all.
    address: '127.0.0.1:9',
    numbers: [CALLER_ID],
    transport: 'tcp',
    metadata: '{}',
  });
  trunks.push(trunkId);
  const outcome = await dialer.dial(dialRequest(trunkId, '+15558100004'));
  console.log(`# absent carrier: ${JSON.stringify(outcome)}`);
  assert.equal(outcome.status, 'failed');
});
