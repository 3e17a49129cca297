import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Campaign, CampaignContact, ScheduledCall } from '@parley/contracts';
import { ADMIN_KEY, request, startTestApp, type TestApp } from '../../test/test-app.js';
import { contactsFromCsv } from './campaign-routes.js';

let app: TestApp;
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const call = <T>(method: string, route: string, body?: unknown) =>
  request<T>(`${app.url}${route}`, method, body, admin);

before(async () => {
  app = await startTestApp();
  await app.tenant.dialRules.setPolicy({ allowedPrefixes: ['+1'], maxConcurrentPhoneCalls: 5 });
});
after(() => app.stop());

test('a CSV of contacts: number (or phone) and name columns, every other column a variable', () => {
  assert.deepEqual(
    contactsFromCsv('\uFEFFname,phone,plan\nAnn,+1 (555) 100-0001,pro\nBob, +15551000002 ,\n'),
    [
      { name: 'Ann', number: '+15551000001', variables: { plan: 'pro' } },
      { name: 'Bob', number: '+15551000002', variables: { plan: '' } },
    ],
  );
  assert.throws(() => contactsFromCsv('name,plan\nAnn,pro\n'), /row 2: no number/);
});

describe('campaigns through the admin API', () => {
  test('created as a draft, contacts added as JSON and as CSV (a number given twice is kept once), started once, paused, resumed, cancelled', async () => {
    const created = await call<Campaign>('POST', '/v1/campaigns', {
      name: 'Renewals',
      persona: 'default',
      contacts: [{ name: 'Ann', number: '+15551000001' }],
      retry: { maxAttempts: 2 },
    });
    assert.equal(created.status, 201);
    const campaign = created.body;
    assert.equal(campaign.status, 'draft');
    assert.deepEqual(campaign.retry, {
      retryOn: ['no_answer', 'busy'],
      retryAfterSeconds: 3600,
      maxAttempts: 2,
    });
    assert.equal(campaign.stats.contacts, 1);

    const csv = await fetch(`${app.url}/v1/campaigns/${campaign.id}/contacts`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'text/csv' },
      body: 'name,number,city\nAnn,+15551000001,Oslo\nBo,+15551000002,Rome\n',
    });
    assert.equal(csv.status, 200);
    assert.deepEqual(await csv.json(), { added: 1, duplicates: 1 });
    const json = await call('POST', `/v1/campaigns/${campaign.id}/contacts`, {
      contacts: [{ number: '+15551000003', variables: { city: 'Lima' } }],
    });
    assert.deepEqual(json.body, { added: 1, duplicates: 0 });
    const bad = await call<{ error: { code: string } }>(
      'POST',
      `/v1/campaigns/${campaign.id}/contacts`,
      { contacts: [{ number: '555-0100' }] },
    );
    assert.equal(bad.status, 400);

    const contacts = await call<{ data: CampaignContact[] }>(
      'GET',
      `/v1/campaigns/${campaign.id}/contacts`,
    );
    assert.deepEqual(
      contacts.body.data.map((c) => [c.name, c.number, c.status, c.variables]),
      [
        ['Ann', '+15551000001', 'pending', {}],
        ['Bo', '+15551000002', 'pending', { city: 'Rome' }],
        [undefined, '+15551000003', 'pending', { city: 'Lima' }],
      ],
    );

    await app.tenant.webhooks.createEndpoint({
      url: 'https://hooks.example/c',
      events: ['campaign.started'],
    });
    const started = await call<Campaign>('POST', `/v1/campaigns/${campaign.id}/start`);
    assert.equal(started.body.status, 'running');
    assert.ok(started.body.startedAt);
    assert.equal((await call('POST', `/v1/campaigns/${campaign.id}/start`)).status, 409);
    const sent = await app.tenant.webhooks.listDeliveries();
    assert.deepEqual(
      sent.filter((d) => d.eventType === 'campaign.started').map((d) => d.eventId),
      [`${campaign.id}.started`],
    );
    assert.equal(
      (await call<Campaign>('POST', `/v1/campaigns/${campaign.id}/pause`)).body.status,
      'paused',
    );
    assert.equal(
      (await call<Campaign>('POST', `/v1/campaigns/${campaign.id}/resume`)).body.status,
      'running',
    );
    const cancelled = await call<Campaign>('POST', `/v1/campaigns/${campaign.id}/cancel`);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal(cancelled.body.stats.byStatus.skipped, 3);
    assert.equal(
      (
        await call('POST', `/v1/campaigns/${campaign.id}/contacts`, {
          contacts: [{ number: '+15551000009' }],
        })
      ).status,
      409,
      'no contacts for a cancelled campaign',
    );
    const list = await call<{ data: Campaign[] }>('GET', '/v1/campaigns');
    assert.ok(list.body.data.some((c) => c.id === campaign.id));
  });

  test('refused with typed errors: an unknown persona, an unknown trunk, a bad calling window, an unknown campaign', async () => {
    const code = async (route: string, body?: unknown, method = 'POST') =>
      (await call<{ error: { code: string } }>(method, route, body)).body.error.code;
    assert.equal(
      await code('/v1/campaigns', { name: 'x', persona: 'nobody' }),
      'persona_not_found',
    );
    assert.equal(
      await code('/v1/campaigns', { name: 'x', persona: 'default', trunk: 'nope' }),
      'no_outbound_trunk',
    );
    assert.equal(
      await code('/v1/campaigns', {
        name: 'x',
        persona: 'default',
        callingWindow: {
          timeZone: 'Mars/Olympus',
          weekly: [{ day: 'mon', open: '09:00', close: '17:00' }],
        },
      }),
      'invalid_request',
    );
    assert.equal(await code('/v1/campaigns/cmp_nope', undefined, 'GET'), 'not_found');
    assert.equal(await code('/v1/campaigns/cmp_nope/start'), 'not_found');
    const anonymous = await request(`${app.url}/v1/campaigns`, 'GET');
    assert.equal(anonymous.status, 401);
  });
});

describe('scheduled calls through the admin API', () => {
  test('scheduled (call.scheduled sent), listed, cancelled once; a do-not-call or disallowed number is refused at once', async () => {
    await app.tenant.webhooks.createEndpoint({
      url: 'https://hooks.example/s',
      events: ['call.scheduled'],
    });
    const at = new Date(Date.now() + 3600_000).toISOString();
    const made = await call<ScheduledCall>('POST', '/v1/scheduled-calls', {
      persona: 'default',
      to: '+15552000001',
      at,
      variables: { reason: 'follow-up' },
    });
    assert.equal(made.status, 201);
    assert.equal(made.body.status, 'scheduled');
    assert.equal(made.body.kind, 'api');
    assert.equal(made.body.at, at);
    const sent = await app.tenant.webhooks.listDeliveries();
    assert.ok(sent.some((d) => d.eventId === `${made.body.id}.scheduled`));
    const list = await call<{ data: ScheduledCall[] }>('GET', '/v1/scheduled-calls');
    assert.ok(list.body.data.some((s) => s.id === made.body.id));
    const cancelled = await call<ScheduledCall>('DELETE', `/v1/scheduled-calls/${made.body.id}`);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal((await call('DELETE', `/v1/scheduled-calls/${made.body.id}`)).status, 409);

    await app.tenant.dialRules.addDoNotCall('+15552000002');
    const refused = await call<{ error: { code: string } }>('POST', '/v1/scheduled-calls', {
      persona: 'default',
      to: '+15552000002',
      at,
    });
    assert.equal(refused.body.error.code, 'do_not_call');
    const abroad = await call<{ error: { code: string } }>('POST', '/v1/scheduled-calls', {
      persona: 'default',
      to: '+442070000000',
      at,
    });
    assert.equal(abroad.body.error.code, 'destination_not_allowed');
  });
});
