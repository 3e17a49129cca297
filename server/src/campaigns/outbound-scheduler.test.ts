import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CampaignInput } from '@parley/contracts';
import { OutboundScheduler, attemptOutcomeOf } from './outbound-scheduler.js';
import { OutboundPhone } from '../phone/outbound/outbound-phone.js';
import { ScriptedPhoneDialer } from '../phone/outbound/scripted-phone-dialer.js';
import type { DialOutcome } from '../phone/outbound/sip-outcome.js';
import type { DialRequest } from '../phone/outbound/phone-dialer.js';
import type { Storage, TenantStorage } from '../storage/index.js';
import { forEachBackend, newTenant, openReplicas } from '../../test/test-backends.js';

/** Monday 12:00 in New York: within the default persona's business hours (weekdays 9 to 5). */
const MONDAY_NOON_NEW_YORK = new Date('2026-12-07T17:00:00Z');
const SECOND = 1000;

/** A dialer whose dials never end: the server that dialled stops before it hears back. */
class HangingDialer extends ScriptedPhoneDialer {
  override dial(request: DialRequest): Promise<DialOutcome> {
    this.dials.push(request);
    return new Promise(() => undefined);
  }
}

interface Rig {
  tenant: TenantStorage;
  dialer: ScriptedPhoneDialer;
  scheduler: OutboundScheduler;
  clock: { now: Date };
}

/** A tenant allowed to dial +1 numbers through trunk `main`, with the default persona. */
async function tenantOn(storage: Storage): Promise<TenantStorage> {
  const tenant = storage.forTenant(await newTenant(storage, 'campaign'));
  await tenant.personas.ensureDefault();
  await tenant.dialRules.setPolicy({ allowedPrefixes: ['+1'], maxConcurrentPhoneCalls: 20 });
  await tenant.outboundTrunks.put({
    name: 'main',
    address: 'sip.example:5060',
    numbers: ['+15550000001'],
    transport: 'udp',
    trunkId: 'ST_1',
  });
  return tenant;
}

function rig(
  storage: Storage,
  tenantId: string,
  clock: { now: Date },
  dialer = new ScriptedPhoneDialer(),
): Rig {
  const now = () => clock.now;
  const outbound = new OutboundPhone({ dialer, now });
  const scheduler = new OutboundScheduler({
    tenantsWithWork: (at) => storage.tenantsWithOutboundWork(at),
    tenant: (id) => storage.forTenant(id),
    tenantHint: (id) => id,
    outbound,
    now,
  });
  return { tenant: storage.forTenant(tenantId), dialer, scheduler, clock };
}

/** Waits until every dial placed so far has been followed up (the scripted ones end at once). */
async function dialsFollowedUp(tenant: TenantStorage): Promise<void> {
  for (;;) {
    const { items } = await tenant.calls.list({ limit: 100 });
    if (items.every((c) => c.phoneStatus !== 'dialing' && c.phoneStatus !== 'ringing')) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function round(r: Rig, advanceMs = 0): Promise<void> {
  r.clock.now = new Date(r.clock.now.getTime() + advanceMs);
  await r.scheduler.tick();
  await dialsFollowedUp(r.tenant);
}

const dialsTo = (dialer: ScriptedPhoneDialer, number: string) =>
  dialer.dials.filter((d) => d.to === number).length;

async function newCampaign(tenant: TenantStorage, input: Partial<CampaignInput>, now: Date) {
  const campaign = await tenant.campaigns.create(
    { name: 'Spring follow-up', persona: 'default', ...input },
    'default',
    now,
  );
  await tenant.campaigns.act(campaign.id, 'start', now);
  return campaign;
}

/** Ends an answered call as its agent would. */
async function hangUp(tenant: TenantStorage, number: string): Promise<void> {
  const { items } = await tenant.calls.list({ limit: 100 });
  for (const call of items.filter(
    (c) => c.caller.phoneNumber === number && c.status === 'active',
  )) {
    await tenant.calls.close(call.id, { outcome: 'completed' });
  }
}

test('an attempt counts as answered when its phone answered or a conversation took place', () => {
  const call = { status: 'ended' as const, startedAt: '', roomName: 'r', turns: 0 };
  assert.equal(attemptOutcomeOf({ ...call, phoneStatus: 'answered' }), 'answered');
  assert.equal(attemptOutcomeOf({ ...call, phoneStatus: 'busy' }), 'busy');
  assert.equal(attemptOutcomeOf({ ...call, phoneStatus: 'ringing' }), 'no_answer');
  assert.equal(attemptOutcomeOf({ ...call, phoneStatus: 'dialing' }), 'failed');
  assert.equal(attemptOutcomeOf({ ...call, phoneStatus: 'dialing', turns: 3 }), 'answered');
});

forEachBackend((backend) => {
  describe('outbound campaigns', () => {
    test('one contact answers, one is busy, one never answers: retries come as the policy says and stop at its limit', async () => {
      const [storage] = await openReplicas(backend);
      const tenant = await tenantOn(storage);
      const r = rig(storage, tenant.tenantId, { now: MONDAY_NOON_NEW_YORK });
      r.dialer.outcomes.set('+15551000002', { status: 'busy', sipStatusCode: 486 });
      r.dialer.outcomes.set('+15551000003', { status: 'no_answer' });
      await tenant.webhooks.createEndpoint({
        url: 'https://hooks.example/campaigns',
        events: ['campaign.completed'],
      });
      const campaign = await newCampaign(
        tenant,
        {
          contacts: [
            { name: 'Ann', number: '+15551000001', variables: { plan: 'pro' } },
            { name: 'Bob', number: '+15551000002' },
            { name: 'Cy', number: '+15551000003' },
          ],
          maxConcurrentCalls: 3,
          retry: { retryOn: ['no_answer', 'busy'], retryAfterSeconds: 600, maxAttempts: 2 },
        },
        r.clock.now,
      );

      await round(r);
      assert.equal(r.dialer.dials.length, 3, 'all three dialled at once');
      const ann = r.dialer.dispatches.find((d) => d.metadata.variables.contact_name === 'Ann');
      assert.equal(ann?.metadata.variables.plan, 'pro', "the contact's variables reach the agent");
      await round(r, SECOND);
      let contacts = await tenant.campaigns.contacts(campaign.id);
      assert.deepEqual(
        contacts.map((c) => [c.name, c.status, c.lastOutcome]),
        [
          ['Ann', 'calling', undefined],
          ['Bob', 'retry_scheduled', 'busy'],
          ['Cy', 'retry_scheduled', 'no_answer'],
        ],
      );
      await hangUp(tenant, '+15551000001');
      await round(r, 598 * SECOND); // 599 s after the unanswered calls ended
      assert.equal(r.dialer.dials.length, 3, 'no retry before retryAfterSeconds');
      assert.equal((await tenant.campaigns.contacts(campaign.id))[0]?.status, 'completed');

      await round(r, 2 * SECOND);
      assert.equal(r.dialer.dials.length, 5, 'Bob and Cy tried again');
      await round(r, SECOND);
      await round(r, 3600 * SECOND);
      assert.equal(r.dialer.dials.length, 5, 'no third attempt');
      assert.deepEqual(
        [1, 2, 3].map((n) => dialsTo(r.dialer, `+1555100000${n}`)),
        [1, 2, 2],
      );
      contacts = await tenant.campaigns.contacts(campaign.id);
      assert.deepEqual(
        contacts.map((c) => [c.status, c.attempts.length]),
        [
          ['completed', 1],
          ['exhausted', 2],
          ['exhausted', 2],
        ],
      );
      assert.equal(contacts[0]?.callOutcome, 'completed');
      const done = await tenant.campaigns.require(campaign.id);
      assert.equal(done.status, 'completed');
      assert.equal(done.stats.attempts, 5);
      assert.equal(done.stats.answered, 1);
      assert.deepEqual(done.stats.byStatus, {
        pending: 0,
        calling: 0,
        completed: 1,
        retry_scheduled: 0,
        exhausted: 2,
        skipped: 0,
      });
      const deliveries = await tenant.webhooks.listDeliveries({ limit: 10 });
      const completed = deliveries.filter((d) => d.eventType === 'campaign.completed');
      assert.equal(completed.length, 1, 'campaign.completed sent once');
      // every attempt is an ordinary call record, linked to its contact
      for (const contact of contacts) {
        for (const attempt of contact.attempts) {
          const call = await tenant.calls.get(attempt.callId);
          assert.equal(call?.caller.phoneNumber, contact.number);
          assert.deepEqual(await tenant.campaigns.attemptOf(attempt.callId), {
            campaignId: campaign.id,
            name: campaign.name,
            contactId: contact.id,
            attempt: attempt.attempt,
          });
        }
      }
    });

    test('nothing is dialled outside the calling window; a retry falling after it waits for the next opening', async () => {
      const [storage] = await openReplicas(backend);
      const tenant = await tenantOn(storage);
      // Monday 08:00 in New York
      const r = rig(storage, tenant.tenantId, { now: new Date('2026-12-07T13:00:00Z') });
      r.dialer.outcomes.set('+15552000001', { status: 'no_answer' });
      const campaign = await newCampaign(
        tenant,
        {
          contacts: [{ number: '+15552000001' }],
          callingWindow: {
            timeZone: 'America/New_York',
            weekly: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({
              day: day as 'mon',
              open: '09:00',
              close: '17:00',
            })),
          },
          retry: { retryOn: ['no_answer'], retryAfterSeconds: 3600, maxAttempts: 3 },
        },
        r.clock.now,
      );
      await round(r);
      assert.equal(r.dialer.dials.length, 0, 'not before 09:00');
      await round(r, 3599 * SECOND); // 08:59:59
      assert.equal(r.dialer.dials.length, 0, 'not before 09:00');
      await tenant.campaigns.act(campaign.id, 'pause', r.clock.now);
      await round(r, 7.5 * 3600 * SECOND + SECOND); // 16:30, paused: nothing
      assert.equal(r.dialer.dials.length, 0, 'not while paused');
      await tenant.campaigns.act(campaign.id, 'resume', r.clock.now);
      await round(r); // 16:30: dialled, unanswered; the retry is due at 17:30
      assert.equal(r.dialer.dials.length, 1);
      await round(r, SECOND);
      await round(r, 3600 * SECOND); // 17:30
      assert.equal(r.dialer.dials.length, 1, 'not after 17:00');
      await round(r, 15.5 * 3600 * SECOND - SECOND); // Tuesday 09:00
      assert.equal(r.dialer.dials.length, 2, 'the retry at the next opening');
    });

    test('the do-not-call list is checked at dial time: a number added between attempts is not dialled again', async () => {
      const [storage] = await openReplicas(backend);
      const tenant = await tenantOn(storage);
      const r = rig(storage, tenant.tenantId, { now: MONDAY_NOON_NEW_YORK });
      r.dialer.outcomes.set('+15553000002', { status: 'busy' });
      await tenant.dialRules.addDoNotCall('+15553000001', 'asked in March');
      const campaign = await newCampaign(
        tenant,
        {
          contacts: [{ number: '+15553000001' }, { number: '+15553000002' }, { number: '+449' }],
          maxConcurrentCalls: 3,
          retry: { retryOn: ['busy'], retryAfterSeconds: 60, maxAttempts: 3 },
        },
        r.clock.now,
      ).catch(() => undefined);
      // '+449' is no E.164 number: the campaign is refused as a whole
      assert.equal(campaign, undefined);
      const started = await newCampaign(
        tenant,
        {
          contacts: [
            { number: '+15553000001' },
            { number: '+15553000002' },
            { number: '+4420700000' },
          ],
          maxConcurrentCalls: 3,
          retry: { retryOn: ['busy'], retryAfterSeconds: 60, maxAttempts: 3 },
        },
        r.clock.now,
      );
      await round(r);
      assert.deepEqual(
        r.dialer.dials.map((d) => d.to),
        ['+15553000002'],
      );
      await tenant.dialRules.addDoNotCall('+15553000002', "said 'do not call me again'");
      await round(r, 61 * SECOND);
      await round(r, SECOND);
      assert.equal(r.dialer.dials.length, 1, 'not dialled again');
      const contacts = await tenant.campaigns.contacts(started.id);
      assert.deepEqual(
        contacts.map((c) => [c.number, c.status, c.skipReason]),
        [
          ['+15553000001', 'skipped', 'do_not_call'],
          ['+15553000002', 'skipped', 'do_not_call'],
          ['+4420700000', 'skipped', 'destination_not_allowed'],
        ],
      );
      assert.equal((await tenant.campaigns.require(started.id)).status, 'completed');
    });

    test('at most maxConcurrentCalls at once, and a contact is never dialled while its last call goes on', async () => {
      const [storage] = await openReplicas(backend);
      const tenant = await tenantOn(storage);
      const r = rig(storage, tenant.tenantId, { now: MONDAY_NOON_NEW_YORK });
      const campaign = await newCampaign(
        tenant,
        {
          contacts: ['+15554000001', '+15554000002', '+15554000003'].map((number) => ({ number })),
          maxConcurrentCalls: 2,
        },
        r.clock.now,
      );
      await round(r);
      await round(r, SECOND);
      assert.equal(r.dialer.dials.length, 2);
      await hangUp(tenant, '+15554000001');
      await round(r, SECOND);
      await round(r, SECOND);
      assert.deepEqual(
        r.dialer.dials.map((d) => d.to),
        ['+15554000001', '+15554000002', '+15554000003'],
      );
      await tenant.campaigns.act(campaign.id, 'pause', r.clock.now);
      await hangUp(tenant, '+15554000002');
      await hangUp(tenant, '+15554000003');
      await round(r, SECOND);
      assert.equal((await tenant.campaigns.require(campaign.id)).status, 'paused');
      await tenant.campaigns.act(campaign.id, 'resume', r.clock.now);
      await round(r, SECOND);
      assert.equal((await tenant.campaigns.require(campaign.id)).status, 'completed');
      assert.equal(r.dialer.dials.length, 3);
    });

    test("the tenant's concurrent phone calls are checked at dial time: contacts wait, no attempt is counted", async () => {
      const [storage] = await openReplicas(backend);
      const tenant = await tenantOn(storage);
      await tenant.dialRules.setPolicy({ allowedPrefixes: ['+1'], maxConcurrentPhoneCalls: 1 });
      const r = rig(storage, tenant.tenantId, { now: MONDAY_NOON_NEW_YORK });
      const campaign = await newCampaign(
        tenant,
        {
          contacts: ['+15554100001', '+15554100002'].map((number) => ({ number })),
          maxConcurrentCalls: 5,
        },
        r.clock.now,
      );
      await round(r);
      await round(r, SECOND);
      assert.equal(r.dialer.dials.length, 1, 'one phone call at a time for this tenant');
      const waiting = (await tenant.campaigns.contacts(campaign.id))[1];
      assert.deepEqual([waiting?.status, waiting?.attempts.length], ['pending', 0]);
      await hangUp(tenant, '+15554100001');
      await round(r, SECOND);
      await round(r, SECOND);
      assert.equal(r.dialer.dials.length, 2);
    });

    test('a campaign that cannot dial at all (its trunk is gone) is paused, not retried every round', async () => {
      const [storage] = await openReplicas(backend);
      const tenant = await tenantOn(storage);
      const r = rig(storage, tenant.tenantId, { now: MONDAY_NOON_NEW_YORK });
      const campaign = await newCampaign(
        tenant,
        { contacts: [{ number: '+15554200001' }], trunk: 'main' },
        r.clock.now,
      );
      await tenant.outboundTrunks.remove('main');
      await round(r);
      assert.equal(r.dialer.dials.length, 0);
      assert.equal((await tenant.campaigns.require(campaign.id)).status, 'paused');
      const [contact] = await tenant.campaigns.contacts(campaign.id);
      assert.deepEqual([contact?.status, contact?.attempts.length], ['pending', 0]);
    });

    test('a server that stops mid-dial: the restarted one dials nobody twice, closes the lost call after its ring time, and retries per policy', async () => {
      const [storage] = await openReplicas(backend);
      const tenant = await tenantOn(storage);
      const clock = { now: MONDAY_NOON_NEW_YORK };
      const before = rig(storage, tenant.tenantId, clock, new HangingDialer());
      const campaign = await newCampaign(
        tenant,
        {
          contacts: [{ number: '+15555000001' }],
          ringTimeoutSeconds: 30,
          retry: { retryOn: ['failed'], retryAfterSeconds: 60, maxAttempts: 2 },
        },
        clock.now,
      );
      await before.scheduler.tick();
      assert.equal(before.dialer.dials.length, 1);
      // the first server is gone; the next one starts on the same database
      const after = rig(storage, tenant.tenantId, clock);
      for (let i = 0; i < 5; i++) await after.scheduler.tick();
      assert.equal(after.dialer.dials.length, 0, 'not dialled again while its call may go on');
      clock.now = new Date(clock.now.getTime() + 91 * SECOND);
      await after.scheduler.tick(); // 30 s of ringing and a minute's grace: the call is lost
      await after.scheduler.tick(); // the attempt is settled: failed, retried in 60 s
      const [contact] = await tenant.campaigns.contacts(campaign.id);
      assert.equal(contact?.status, 'retry_scheduled');
      assert.equal(contact?.lastOutcome, 'failed');
      await round(after, 61 * SECOND);
      assert.equal(after.dialer.dials.length, 1, 'the second attempt');
    });

    test('two server replicas running at once dial each contact once', async () => {
      const [one, two] = await openReplicas(backend);
      const tenant = await tenantOn(one);
      const clock = { now: MONDAY_NOON_NEW_YORK };
      const [a, b] = [rig(one, tenant.tenantId, clock), rig(two, tenant.tenantId, clock)];
      const numbers = Array.from({ length: 8 }, (_, i) => `+1555600000${i}`);
      await newCampaign(
        tenant,
        { contacts: numbers.map((number) => ({ number })), maxConcurrentCalls: 8 },
        clock.now,
      );
      for (let i = 0; i < 3; i++) await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
      const dialled = [...a.dialer.dials, ...b.dialer.dials].map((d) => d.to).sort();
      assert.deepEqual(dialled, numbers);
    });
  });

  describe('scheduled calls', () => {
    test('a call scheduled for a time is dialled once when it comes; a cancelled one and one to a do-not-call number never are', async () => {
      const [storage] = await openReplicas(backend);
      const tenant = await tenantOn(storage);
      const r = rig(storage, tenant.tenantId, { now: MONDAY_NOON_NEW_YORK });
      const at = new Date(r.clock.now.getTime() + 60 * SECOND);
      const base = {
        kind: 'api' as const,
        personaId: 'default',
        at,
        variables: {},
        ringTimeoutSeconds: 30,
      };
      const due = await tenant.scheduledCalls.create({ ...base, to: '+15557000001' }, r.clock.now);
      const cancelled = await tenant.scheduledCalls.create(
        { ...base, to: '+15557000002' },
        r.clock.now,
      );
      const refused = await tenant.scheduledCalls.create(
        { ...base, to: '+15557000003' },
        r.clock.now,
      );
      await tenant.scheduledCalls.cancel(cancelled.id);
      await tenant.dialRules.addDoNotCall('+15557000003');
      await round(r, 59 * SECOND);
      assert.equal(r.dialer.dials.length, 0, 'not before its time');
      await round(r, 2 * SECOND);
      await round(r, SECOND);
      assert.deepEqual(
        r.dialer.dials.map((d) => d.to),
        ['+15557000001'],
      );
      const placed = await tenant.scheduledCalls.get(due.id);
      assert.equal(placed?.status, 'placed');
      assert.ok(placed?.callId && (await tenant.calls.get(placed.callId)));
      assert.equal((await tenant.scheduledCalls.get(refused.id))?.status, 'failed');
      assert.equal((await tenant.scheduledCalls.get(refused.id))?.error, 'do_not_call');
      await assert.rejects(tenant.scheduledCalls.cancel(due.id), /is placed/);
    });
  });
});
