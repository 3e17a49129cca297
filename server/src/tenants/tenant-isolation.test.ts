/**
 * A tenant's API key reaches its own tenant's data and nothing else, for every admin resource
 * family: another tenant's ids answer 404, and lists never include another tenant's rows. The
 * operator key (the default tenant's) is held to the same rule from the other side.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Appointment, Lead, Persona, PhoneNumber, SecretSummary } from '@parley/contracts';
import type { TenantStorage } from '../storage/index.js';
import {
  asAdmin,
  asAgent,
  createTenant,
  request,
  startTestApp,
  type TestApp,
  type TestTenant,
} from '../../test/test-app.js';
import type { Call, Page, WebhookDelivery, WebhookEndpoint } from '@parley/contracts';

let app: TestApp;
let acme: TestTenant;
/** Acme's repositories, to check what the API did not change. */
let acmeStore: TenantStorage;

/** One of each kind of record, per tenant. */
interface Records {
  call: Call;
  lead: Lead;
  appointment: Appointment;
  endpoint: WebhookEndpoint;
  e164: string;
  secret: string;
}
let ours: Records;
let theirs: Records;

const call = <T>(method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  request<T>(`${app.url}${path}`, method, body, headers);
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

/** The records of `tenant`, made the way they are in production: the agent's calls and tools. */
async function seed(
  tenant: TenantStorage,
  tenantId: string | undefined,
  n: number,
): Promise<Records> {
  const endpoint = await tenant.webhooks.createEndpoint({
    url: `https://hooks${n}.example/parley`,
    events: ['call.started', 'lead.captured'],
  });
  const started = await request<Call>(
    `${app.url}/internal/calls`,
    'POST',
    { personaId: 'desk', channel: 'web', roomName: `web_room${n}`, ...(tenantId && { tenantId }) },
    asAgent,
  );
  assert.equal(started.status, 201);
  const lead = await request<Lead>(
    `${app.url}/internal/calls/${started.body.id}/leads`,
    'POST',
    { key: 'l1', lead: { name: `Lead ${n}`, score: 1, temperature: 'warm', signals: [] } },
    asAgent,
  );
  assert.equal(lead.status, 201);
  const appointment = await tenant.appointments.book({
    startsAt: `2030-01-0${n}T10:00:00.000Z`,
    endsAt: `2030-01-0${n}T10:30:00.000Z`,
    name: `Guest ${n}`,
  });
  const e164 = `+1415555010${n}`;
  await tenant.phoneNumbers.assign({ e164, personaId: 'desk' });
  const secret = `SECRET_${n}`;
  await tenant.secrets.put(secret, `value-${n}`);
  return { call: started.body, lead: lead.body, appointment, endpoint, e164, secret };
}

before(async () => {
  app = await startTestApp();
  acme = await createTenant(app.url, 'acme');
  acmeStore = app.storage.forTenant(acme.tenant.id);
  const desk = { id: 'desk', name: 'Desk', greeting: 'Hi', instructions: 'Help.' };
  await app.tenant.personas.create(desk);
  await acmeStore.personas.create({ ...desk, name: 'Acme desk' });
  ours = await seed(app.tenant, undefined, 1);
  theirs = await seed(acmeStore, acme.tenant.id, 2);
});
after(() => app.stop());

/** Both directions: the operator key against acme's records, acme's key against the default's. */
const sides = () => [
  { who: 'acme key', headers: acme.headers, own: theirs, other: ours },
  { who: 'operator key', headers: asAdmin, own: ours, other: theirs },
];

describe("a tenant's key never reaches another tenant's records", () => {
  test('personas: ids are per tenant; lists, reads and replaces stay in the tenant', async () => {
    const acmeList = await call<{ data: Persona[] }>('GET', '/v1/personas', acme.headers);
    assert.deepEqual(acmeList.body.data.map((p) => p.name).sort(), ['Acme desk', 'Parley']);
    const acmeDesk = await call<Persona>('GET', '/v1/personas/desk', acme.headers);
    assert.equal(acmeDesk.body.name, 'Acme desk');
    // Acme's starter persona is its own copy: the default tenant's does not change with it.
    const starter = await call<Persona>('GET', '/v1/personas/default', acme.headers);
    assert.equal(starter.status, 200);
    const renamed = { ...starter.body, name: 'Acme starter' };
    assert.equal((await call('PUT', '/v1/personas/default', acme.headers, renamed)).status, 200);
    assert.equal((await app.tenant.personas.get('default'))?.name, 'Parley');

    const replaced = await call<Persona>('PUT', '/v1/personas/desk', acme.headers, {
      name: 'Acme front desk',
      greeting: 'Hello',
      instructions: 'Help.',
    });
    assert.equal(replaced.status, 200);
    assert.equal((await app.tenant.personas.get('desk'))?.name, 'Desk');
    const defaultList = await call<{ data: Persona[] }>('GET', '/v1/personas', asAdmin);
    assert.deepEqual(defaultList.body.data.map((p) => p.name).sort(), ['Desk', 'Parley']);
  });

  test("calls: lists hold only the own call; the other tenant's call is 404", async () => {
    for (const { who, headers, own, other } of sides()) {
      const page = await call<Page<Call>>('GET', '/v1/calls?limit=100', headers);
      assert.deepEqual(ids(page.body.items), [own.call.id], who);
      assert.equal((await call('GET', `/v1/calls/${other.call.id}`, headers)).status, 404, who);
      assert.equal((await call('GET', `/v1/calls/${own.call.id}`, headers)).status, 200, who);
    }
  });

  test("leads: lists hold only the own lead; the other tenant's lead is 404", async () => {
    for (const { who, headers, own, other } of sides()) {
      const page = await call<Page<Lead>>('GET', '/v1/leads?limit=100', headers);
      assert.deepEqual(ids(page.body.items), [own.lead.id], who);
      assert.equal((await call('GET', `/v1/leads/${other.lead.id}`, headers)).status, 404, who);
      const byCall = await call<Page<Lead>>('GET', `/v1/leads?callId=${other.call.id}`, headers);
      assert.deepEqual(byCall.body.items, [], who);
    }
  });

  test('appointments: lists, reads and cancels stay in the tenant', async () => {
    for (const { who, headers, own, other } of sides()) {
      const list = await call<{ data: Appointment[] }>('GET', '/v1/appointments', headers);
      assert.deepEqual(ids(list.body.data), [own.appointment.id], who);
      const path = `/v1/appointments/${other.appointment.id}`;
      assert.equal((await call('GET', path, headers)).status, 404, who);
      assert.equal((await call('POST', `${path}/cancel`, headers)).status, 404, who);
    }
    assert.equal((await app.tenant.appointments.get(ours.appointment.id))?.status, 'booked');
    assert.equal((await acmeStore.appointments.get(theirs.appointment.id))?.status, 'booked');
  });

  test("phone numbers: lists hold only the own numbers; the other tenant's cannot be taken or removed", async () => {
    for (const { who, headers, own, other } of sides()) {
      const list = await call<{ data: PhoneNumber[] }>('GET', '/v1/phone-numbers', headers);
      assert.deepEqual(
        list.body.data.map((p) => p.e164),
        [own.e164],
        who,
      );
      const path = `/v1/phone-numbers/${encodeURIComponent(other.e164)}`;
      assert.equal((await call('DELETE', path, headers)).status, 404, who);
      const taken = await call('PUT', path, headers, { personaId: 'desk' });
      assert.equal(taken.status, 409, who);
    }
    assert.equal((await app.tenant.phoneNumbers.get(ours.e164))?.tenantId, app.tenant.tenantId);
    assert.equal((await acmeStore.phoneNumbers.get(theirs.e164))?.tenantId, acme.tenant.id);
  });

  test("secrets: lists hold only the own names; the other tenant's cannot be removed or read", async () => {
    for (const { who, headers, own, other } of sides()) {
      const list = await call<{ data: SecretSummary[] }>('GET', '/v1/secrets', headers);
      assert.deepEqual(
        list.body.data.map((s) => s.name),
        [own.secret],
        who,
      );
      assert.equal((await call('DELETE', `/v1/secrets/${other.secret}`, headers)).status, 404, who);
    }
    // The same name in another tenant is a secret of its own.
    const put = await call('PUT', `/v1/secrets/${ours.secret}`, acme.headers, { value: 'acme' });
    assert.equal(put.status, 204);
    assert.equal(await app.tenant.secrets.reveal(ours.secret), 'value-1');
    assert.equal(await acmeStore.secrets.reveal(ours.secret), 'acme');
  });

  test("webhook endpoints and deliveries: only the own; the other tenant's endpoint is 404", async () => {
    for (const { who, headers, own, other } of sides()) {
      const endpoints = await call<{ data: WebhookEndpoint[] }>(
        'GET',
        '/v1/webhook-endpoints',
        headers,
      );
      assert.deepEqual(ids(endpoints.body.data), [own.endpoint.id], who);
      const deliveries = await call<{ data: WebhookDelivery[] }>(
        'GET',
        '/v1/webhook-deliveries',
        headers,
      );
      // call.started and lead.captured of the own call, to the own endpoint only.
      assert.deepEqual(
        deliveries.body.data.map((d) => [d.endpointId, d.eventType]).sort(),
        [
          [own.endpoint.id, 'call.started'],
          [own.endpoint.id, 'lead.captured'],
        ],
        who,
      );
      const filtered = await call<{ data: WebhookDelivery[] }>(
        'GET',
        `/v1/webhook-deliveries?endpointId=${other.endpoint.id}`,
        headers,
      );
      assert.deepEqual(filtered.body.data, [], who);
      const path = `/v1/webhook-endpoints/${other.endpoint.id}`;
      assert.equal((await call('DELETE', path, headers)).status, 404, who);
    }
    assert.equal((await acmeStore.webhooks.listEndpoints()).length, 1);
    assert.equal((await app.tenant.webhooks.listEndpoints()).length, 1);
  });
});
