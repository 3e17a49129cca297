/**
 * An outbound campaign end to end: Parley calls a list of contacts through an outbound trunk and
 * livekit-sip to a real SIP user agent (baresip, one account per contact, like the extensions of
 * a small PBX): one answers, one refuses busy (486), one rings out, one is on the do-not-call
 * list. Retries come as the policy says and stop at its limit; nobody is dialled twice at once.
 * A campaign whose calling window opens a minute later dials nobody before it opens.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CallRecord, Campaign, CampaignContact } from '@parley/contracts';
import { openStudio } from '../support/browser.js';
import { admin, eventually, putPersona } from '../support/calls.js';
import {
  callsAnyTime,
  heardGreeting,
  putOutboundTrunk,
  removeOutboundTrunk,
} from '../support/phone-calls.js';
import { SipPhone } from '../support/sip-phone.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import { heardAs } from '../support/transcribe.js';

const CALLER_ID = '+15550100029';
const ANSWERS = '+15558200001';
const BUSY = '+15558200002';
const RINGS_OUT = '+15558200003';
const DO_NOT_CALL = '+15558200004';
const TRUNK = 'campaign-pbx';

let stack: TestStack;
let pbx: SipPhone;
let endpointId: string;

before(async () => {
  stack = await testStack();
  const persona = await personaOf(stack);
  await putPersona(stack, callsAnyTime(persona, 'campaigner'));
  await admin(stack, '/v1/dial-policy', {
    method: 'PUT',
    body: JSON.stringify({ allowedPrefixes: ['+1555'], maxConcurrentPhoneCalls: 5 }),
  });
  await admin(stack, `/v1/do-not-call/${encodeURIComponent(DO_NOT_CALL)}`, {
    method: 'PUT',
    body: JSON.stringify({ reason: 'asked last year' }),
  });
  pbx = await SipPhone.start({
    number: ANSWERS,
    incoming: 'answer',
    extensions: [
      { number: BUSY, incoming: 'busy' },
      { number: RINGS_OUT, incoming: 'ring' },
    ],
  });
  await putOutboundTrunk(stack, TRUNK, pbx.address, [CALLER_ID]);
  // Nothing listens there: deliveries stay queued, and the suite reads them.
  const endpoint = await admin<{ id: string }>(stack, '/v1/webhook-endpoints', {
    method: 'POST',
    body: JSON.stringify({
      url: 'http://127.0.0.1:9/campaign-events',
      events: ['campaign.started', 'campaign.completed', 'call.phone_status'],
      secret: 'campaign-suite-secret-0123456789',
    }),
  });
  endpointId = endpoint.id;
});

after(async () => {
  await pbx?.stop();
  await removeOutboundTrunk(stack, TRUNK);
  await admin(stack, `/v1/do-not-call/${encodeURIComponent(DO_NOT_CALL)}`, {
    method: 'DELETE',
  }).catch(() => undefined);
  await stack.release();
});

/** Calls the PBX took for a number: its call events' distinct call ids. */
const incomingCalls = (number: string) =>
  new Set(pbx.eventsOf(number).flatMap((e) => (typeof e.id === 'string' ? [e.id] : []))).size;

test('a campaign: one contact answers and hears the persona, one is busy, one rings out, one is on the do-not-call list; retries stop at the limit', async () => {
  const made = await admin<Campaign>(stack, '/v1/campaigns', {
    method: 'POST',
    body: JSON.stringify({
      name: 'Trial follow-up',
      persona: 'campaigner',
      trunk: TRUNK,
      contacts: [ANSWERS, BUSY, RINGS_OUT, DO_NOT_CALL].map((number, i) => ({
        name: `Contact ${i + 1}`,
        number,
      })),
      maxConcurrentCalls: 3,
      ringTimeoutSeconds: 6,
      retry: { retryOn: ['busy', 'no_answer'], retryAfterSeconds: 5, maxAttempts: 2 },
    }),
  });
  assert.equal(made.status, 'draft');
  await admin(stack, `/v1/campaigns/${made.id}/start`, { method: 'POST' });

  // The answering contact hears the persona's greeting, then hangs up.
  const persona = await personaOf(stack, 'campaigner');
  await pbx.waitFor('CALL_ESTABLISHED', 30_000);
  const greeting = await heardGreeting(pbx, persona.greeting);
  assert.ok(heardAs(persona.greeting, greeting.text), `the greeting is heard: "${greeting.text}"`);
  await pbx.hangupLine(ANSWERS);

  const done = await eventually(
    'the campaign completed',
    () => admin<Campaign>(stack, `/v1/campaigns/${made.id}`),
    (c) => c.status === 'completed',
    120_000,
  );
  const { data: contacts } = await admin<{ data: CampaignContact[] }>(
    stack,
    `/v1/campaigns/${made.id}/contacts`,
  );
  assert.deepEqual(
    contacts.map((c) => [c.number, c.status, c.attempts.map((a) => a.outcome)]),
    [
      [ANSWERS, 'completed', ['answered']],
      [BUSY, 'exhausted', ['busy', 'busy']],
      [RINGS_OUT, 'exhausted', ['no_answer', 'no_answer']],
      [DO_NOT_CALL, 'skipped', []],
    ],
  );
  assert.equal(contacts[3]?.skipReason, 'do_not_call');
  // What the phone saw agrees: each attempt one INVITE, the do-not-call number none.
  assert.deepEqual(
    [ANSWERS, BUSY, RINGS_OUT].map(incomingCalls),
    [1, 2, 2],
    'each contact dialled once per attempt',
  );
  assert.equal(incomingCalls(DO_NOT_CALL), 0);
  // Every attempt is an ordinary call record, and a retry came only after the last call ended.
  for (const contact of contacts) {
    const calls = await Promise.all(
      contact.attempts.map((a) => admin<CallRecord>(stack, `/v1/calls/${a.callId}`)),
    );
    for (const [i, call] of calls.entries()) {
      assert.equal(call.caller.phoneNumber, contact.number);
      // The record says which campaign dialled it, which contact, which try.
      assert.deepEqual(call.campaign, {
        campaignId: done.id,
        name: done.name,
        contactId: contact.id,
        attempt: contact.attempts[i]?.attempt,
      });
    }
    const [first, second] = calls;
    if (first && second) {
      assert.ok(first.endedAt, 'the first attempt ended');
      assert.ok(
        Date.parse(second.startedAt) >= Date.parse(first.endedAt) + 5000 - 1000,
        `the retry of ${contact.number} waited retryAfterSeconds after the first call ended`,
      );
    }
  }
  assert.equal(done.stats.attempts, 5);
  assert.equal(done.stats.answered, 1);
  const { data: deliveries } = await admin<{ data: Array<{ eventType: string; eventId: string }> }>(
    stack,
    `/v1/webhook-deliveries?endpointId=${endpointId}&limit=100`,
  );
  const events = deliveries.map((d) => d.eventId);
  assert.ok(events.includes(`${made.id}.started`), 'campaign.started');
  assert.ok(events.includes(`${made.id}.completed`), 'campaign.completed');

  // The studio's call page names the campaign, linked, and the try.
  const answered = contacts.find((c) => c.number === ANSWERS)?.attempts[0];
  assert.ok(answered, 'the answering contact was called');
  const { browser, page } = await openStudio(stack.url, stack.secrets.adminKey);
  try {
    await page.goto(`${stack.url}/#/calls/${encodeURIComponent(answered.callId)}`);
    const facts = page.locator('article.call-detail dl.facts');
    await facts.waitFor();
    assert.match(await facts.innerText(), new RegExp(`Campaign\\s+${done.name} · attempt 1`));
    await facts.getByRole('link', { name: done.name }).click();
    await page.waitForURL(new RegExp(`#/campaigns/${made.id}$`));
  } finally {
    await browser.close();
  }
});

const hhmm = (at: Date) =>
  `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

test('a campaign started before its calling window opens dials nobody until the window opens, on the real clock', async () => {
  // the window opens at the next whole minute at least 15 s away, in UTC (not across midnight)
  let opens = new Date(Math.ceil((Date.now() + 15_000) / 60_000) * 60_000);
  if (hhmm(opens) >= '23:50') {
    opens = new Date(Date.UTC(opens.getUTCFullYear(), opens.getUTCMonth(), opens.getUTCDate() + 1));
    await new Promise((resolve) => setTimeout(resolve, opens.getTime() - Date.now() - 15_000));
  }
  const closes = new Date(opens.getTime() + 10 * 60_000);
  const before = incomingCalls(ANSWERS);
  const seen = pbx.eventsOf(ANSWERS).length;
  const made = await admin<Campaign>(stack, '/v1/campaigns', {
    method: 'POST',
    body: JSON.stringify({
      name: 'Opens at a minute',
      persona: 'campaigner',
      trunk: TRUNK,
      contacts: [{ number: ANSWERS }],
      callingWindow: {
        timeZone: 'UTC',
        weekly: [{ day: WEEKDAYS[opens.getUTCDay()], open: hhmm(opens), close: hhmm(closes) }],
      },
      ringTimeoutSeconds: 6,
    }),
  });
  await admin(stack, `/v1/campaigns/${made.id}/start`, { method: 'POST' });
  await new Promise((resolve) => setTimeout(resolve, opens.getTime() - Date.now() - 2_000));
  assert.equal(incomingCalls(ANSWERS), before, 'nothing dialled before the window opened');
  assert.equal(
    (await admin<Campaign>(stack, `/v1/campaigns/${made.id}`)).stats.attempts,
    0,
    'no attempt counted while waiting',
  );
  await eventually(
    'the call once the window opened',
    async () => incomingCalls(ANSWERS),
    (n) => n === before + 1,
    30_000,
  );
  const fresh = () => pbx.eventsOf(ANSWERS).slice(seen);
  const rang = fresh()[0]?.at ?? 0;
  assert.ok(rang >= opens.getTime(), `rang ${opens.getTime() - rang} ms before the window opened`);
  await eventually(
    'the call answered',
    async () => fresh().filter((e) => e.type === 'CALL_ESTABLISHED'),
    (established) => established.length > 0,
    30_000,
  );
  await pbx.hangupLine(ANSWERS);
});
