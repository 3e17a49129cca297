/**
 * Another tenant's persona on the public routes (`acme/sales`), and everything that follows from
 * its session: the dispatch names the tenant, the agent's persona fetch and call land in it, and
 * LiveKit's events for the room reach its call record.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TokenVerifier } from 'livekit-server-sdk';
import {
  DispatchMetadataSchema,
  type DispatchMetadata,
  type Persona,
  type SessionResponse,
  type WidgetConfig,
  type Call,
  type CallRecord,
} from '@parley/contracts';
import {
  livekitWebhook,
  startObservedApp,
  type ObservedApp,
} from '../../test/observed-test-app.js';
import type { TenantStorage } from '../storage/index.js';
import {
  LIVEKIT_API_KEY,
  LIVEKIT_API_SECRET,
  asAdmin,
  asAgent,
  createTenant,
  request,
  type TestTenant,
} from '../../test/test-app.js';

const ACME_SITE = 'https://acme.example';
const CONSENT = { text: 'This call is recorded.', version: '1' };

let app: ObservedApp;
let acme: TestTenant;
let acmeStore: TenantStorage;

const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

before(async () => {
  app = await startObservedApp();
  acme = await createTenant(app.url, 'acme');
  acmeStore = app.storage.forTenant(acme.tenant.id);
  const sales = {
    id: 'sales',
    name: 'Acme sales',
    greeting: 'Hi',
    instructions: 'Sell.',
    allowedOrigins: [ACME_SITE],
    disclosure: {
      requireConsent: true,
      consentText: CONSENT.text,
      consentVersion: CONSENT.version,
    },
  };
  assert.equal((await request(`${app.url}/v1/personas`, 'POST', sales, acme.headers)).status, 201);
  await acmeStore.webhooks.createEndpoint({
    url: 'https://acme.example/hooks',
    events: ['call.started', 'call.ended'],
  });
});
after(() => app.stop());

async function openSession(persona: string): Promise<{ status: number; body: SessionResponse }> {
  return request<SessionResponse>(
    `${app.url}/v1/sessions`,
    'POST',
    { persona, consent: { ...CONSENT, acceptedAt: new Date().toISOString() } },
    { origin: ACME_SITE },
  );
}

async function dispatchOf(session: SessionResponse): Promise<DispatchMetadata> {
  const claims = await new TokenVerifier(LIVEKIT_API_KEY, LIVEKIT_API_SECRET).verify(session.token);
  return DispatchMetadataSchema.parse(JSON.parse(claims.roomConfig?.agents[0]?.metadata ?? ''));
}

async function sendLivekitEvent(event: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${app.url}/webhooks/livekit`, {
    method: 'POST',
    ...(await livekitWebhook(event)),
  });
  assert.equal(res.status, 204);
}

describe('public routes name another tenant\'s persona as "<tenant-slug>/<persona-id>"', () => {
  test("when the widget asks for acme/sales, then it gets acme's persona and its consent step", async () => {
    const res = await request<WidgetConfig>(
      `${app.url}/v1/widget-config?persona=${encodeURIComponent('acme/sales')}`,
      'GET',
      undefined,
      { origin: ACME_SITE },
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      persona: { id: 'sales', name: 'Acme sales', language: 'en-US' },
      consent: CONSENT,
      continueOnPhone: false,
    });
  });

  test("when a session is opened for acme/sales, then the dispatch names acme's tenant", async () => {
    const opened = await openSession('acme/sales');
    assert.equal(opened.status, 201);
    const metadata = await dispatchOf(opened.body);
    assert.equal(metadata.personaId, 'sales');
    assert.equal(metadata.tenantId, acme.tenant.id);
  });

  test('when the tenant or the persona is unknown, or the id is bare, then 404 persona_not_found', async () => {
    for (const persona of ['sales', 'nobody/sales', 'acme/nobody', 'acme/', '/sales']) {
      const res = await openSession(persona);
      assert.equal(res.status, 404, persona);
      assert.equal(errorCode(res.body), 'persona_not_found', persona);
      const config = await request(
        `${app.url}/v1/widget-config?persona=${encodeURIComponent(persona)}`,
        'GET',
      );
      assert.equal(config.status, 404, persona);
    }
  });
});

describe("the agent serves acme's session in acme's tenant", () => {
  let session: SessionResponse;
  let call: Call;
  before(async () => {
    session = (await openSession('acme/sales')).body;
  });

  test("when the agent fetches the persona with the dispatch's tenant, then it gets acme's", async () => {
    const { tenantId } = await dispatchOf(session);
    const persona = (query: string) =>
      request<Persona>(`${app.url}/internal/personas/sales${query}`, 'GET', undefined, asAgent);
    const found = await persona(`?tenant=${tenantId}`);
    assert.equal(found.status, 200);
    assert.equal(found.body.name, 'Acme sales');
    assert.equal((await persona('')).status, 404, 'not in the default tenant');
    assert.equal((await persona('?tenant=ten_nobody')).status, 404);
  });

  test("when LiveKit reports the visitor joining before the call exists, then acme's call keeps it", async () => {
    await sendLivekitEvent({
      event: 'participant_joined',
      id: 'EV_acme_join',
      room: { name: session.roomName },
      participant: { identity: 'visitor-acme', kind: 0 },
    });
    const rows = await app.storage.db.query<{ tenant_id: string }>(
      'SELECT tenant_id FROM call_events WHERE room_name = $1',
      [session.roomName],
    );
    assert.deepEqual(rows, [{ tenant_id: acme.tenant.id }]);
  });

  test("when the agent creates the call with the tenant, then calls, turns and webhooks are acme's", async () => {
    const input = {
      personaId: 'sales',
      tenantId: acme.tenant.id,
      channel: 'web',
      roomName: session.roomName,
    };
    const created = await request<Call>(`${app.url}/internal/calls`, 'POST', input, asAgent);
    assert.equal(created.status, 201);
    call = created.body;
    const turn = { key: 't1', turn: { userText: 'hello', agentText: 'hi' } };
    const turns = `${app.url}/internal/calls/${call.id}/turns`;
    assert.equal((await request(turns, 'POST', turn, asAgent)).status, 201);

    const record = await request<CallRecord>(
      `${app.url}/v1/calls/${call.id}`,
      'GET',
      undefined,
      acme.headers,
    );
    assert.equal(record.status, 200);
    assert.equal(record.body.turns.length, 1);
    assert.deepEqual(
      record.body.events.map((e) => e.identity),
      ['visitor-acme'],
    );
    assert.equal(record.body.consent?.textVersion, CONSENT.version);
    const asOperator = await request(`${app.url}/v1/calls/${call.id}`, 'GET', undefined, asAdmin);
    assert.equal(asOperator.status, 404);
    const deliveries = await acmeStore.webhooks.listDeliveries();
    assert.deepEqual(
      deliveries.map((d) => d.eventId),
      [`${call.id}.started`],
    );
  });

  test('when the agent names an unknown tenant or a persona its tenant lacks, then 404', async () => {
    const input = { personaId: 'sales', channel: 'web', roomName: 'web_other' };
    const unknown = await request(
      `${app.url}/internal/calls`,
      'POST',
      { ...input, tenantId: 'ten_nobody' },
      asAgent,
    );
    const defaultTenant = await request(`${app.url}/internal/calls`, 'POST', input, asAgent);
    assert.deepEqual([unknown.status, defaultTenant.status], [404, 404]);
    assert.equal(errorCode(unknown.body), 'persona_not_found');
  });

  test("when acme's room finishes with its call open, then LiveKit's close reaches acme's call", async () => {
    await sendLivekitEvent({
      event: 'room_finished',
      id: 'EV_acme_finished',
      room: { name: session.roomName },
    });
    const closed = await acmeStore.calls.get(call.id);
    assert.equal(closed?.status, 'ended');
    assert.equal(closed?.closedBy, 'livekit');

    // The agent's own close, arriving later, is acme's too: it queues call.ended to acme.
    const close = `${app.url}/internal/calls/${call.id}/close`;
    assert.equal((await request(close, 'POST', { outcome: 'completed' }, asAgent)).status, 200);
    assert.equal((await acmeStore.calls.get(call.id))?.closedBy, 'agent');
    const deliveries = await acmeStore.webhooks.listDeliveries();
    assert.ok(deliveries.some((d) => d.eventId === `${call.id}.ended`));
    assert.deepEqual(await app.tenant.webhooks.listDeliveries(), []);
  });
});
