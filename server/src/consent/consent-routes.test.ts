import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SessionResponse, WidgetConfig } from '@parley/contracts';
import { asAdmin, asAgent, request, startTestApp, type TestApp } from '../../test/test-app.js';
import type { CallRecord } from '@parley/contracts';

let app: TestApp;
const SHOP = 'https://shop.example';
const CONSENT_TEXT = 'This call is with an AI and is recorded. Do you agree?';

before(async () => {
  app = await startTestApp();
  await app.tenant.personas.create({
    id: 'careful',
    name: 'Careful',
    greeting: 'Hi',
    instructions: '',
    language: 'fr-FR',
    allowedOrigins: [SHOP],
    disclosure: { requireConsent: true, consentText: CONSENT_TEXT, consentVersion: '3' },
  });
});
after(() => app.stop());

const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

describe('GET /v1/widget-config', () => {
  const config = (persona: string, origin?: string) =>
    request<WidgetConfig>(
      `${app.url}/v1/widget-config?persona=${persona}`,
      'GET',
      undefined,
      origin ? { origin } : {},
    );

  test('when the persona requires consent, then its text and version come with the persona', async () => {
    const res = await config('careful', SHOP);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      persona: { id: 'careful', name: 'Careful', language: 'fr-FR' },
      consent: { text: CONSENT_TEXT, version: '3' },
      continueOnPhone: false,
    });
  });

  test('when the persona asks no consent, then there is no consent step', async () => {
    const res = await config('default');
    assert.deepEqual(res.body, {
      persona: { id: 'default', name: 'Parley', language: 'en-US' },
      continueOnPhone: false,
    });
  });

  test('when the origin is not allowed or the persona unknown, then 403 or 404', async () => {
    const evil = await config('careful', 'https://evil.example');
    const unknown = await config('nobody', SHOP);
    const missing = await request(`${app.url}/v1/widget-config`, 'GET');
    assert.deepEqual(
      [evil.status, errorCode(evil.body), unknown.status, missing.status],
      [403, 'origin_not_allowed', 404, 400],
    );
  });

  test('a preflight from any page is answered with CORS headers for GET', async () => {
    const res = await fetch(`${app.url}/v1/widget-config?persona=careful`, {
      method: 'OPTIONS',
      headers: { origin: SHOP, 'access-control-request-method': 'GET' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), SHOP);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /GET/);
  });
});

describe('POST /v1/sessions with consent', () => {
  const session = (consent?: object) =>
    request<SessionResponse>(
      `${app.url}/v1/sessions`,
      'POST',
      { persona: 'careful', visitor: { id: 'vis-7' }, ...(consent && { consent }) },
      { origin: SHOP },
    );
  const accepted = {
    version: '3',
    text: CONSENT_TEXT,
    acceptedAt: new Date(Date.now() - 60_000).toISOString(),
  };
  const receiptOf = async (roomName: string) => {
    const created = await request<{ id: string }>(
      `${app.url}/internal/calls`,
      'POST',
      { personaId: 'careful', channel: 'web', roomName },
      asAgent,
    );
    assert.equal(created.status, 201);
    const detail = await request<CallRecord>(
      `${app.url}/v1/calls/${created.body.id}`,
      'GET',
      undefined,
      asAdmin,
    );
    return { callId: created.body.id, consent: detail.body.consent };
  };

  test('when consent is missing or outdated, then no session is issued', async () => {
    const missing = await session();
    const outdated = await session({ ...accepted, version: '2' });
    assert.deepEqual(
      [missing.status, errorCode(missing.body), outdated.status, errorCode(outdated.body)],
      [403, 'consent_required', 409, 'consent_outdated'],
    );
  });

  test('when consent is given, then the call the agent creates for the room carries the receipt', async () => {
    const issued = await session(accepted);
    assert.equal(issued.status, 201);
    const { callId, consent } = await receiptOf(issued.body.roomName);
    assert.deepEqual(
      { ...consent, id: undefined },
      {
        id: undefined,
        callId,
        textVersion: '3',
        text: CONSENT_TEXT,
        acceptedAt: accepted.acceptedAt,
        visitorId: 'vis-7',
        origin: SHOP,
      },
    );
  });

  test('when the acceptance claims a future time, then the receipt keeps the time it arrived', async () => {
    const before = Date.now();
    const issued = await session({ ...accepted, acceptedAt: '2999-01-01T00:00:00.000Z' });
    const { consent } = await receiptOf(issued.body.roomName);
    const stored = Date.parse(consent?.acceptedAt ?? '');
    assert.ok(stored >= before - 1 && stored <= Date.now(), consent?.acceptedAt);
  });

  test('when a persona asks no consent, then its calls have no receipt', async () => {
    const issued = await request<SessionResponse>(`${app.url}/v1/sessions`, 'POST', {
      persona: 'default',
    });
    const created = await request<{ id: string }>(
      `${app.url}/internal/calls`,
      'POST',
      { personaId: 'default', channel: 'web', roomName: issued.body.roomName },
      asAgent,
    );
    const detail = await request<CallRecord>(
      `${app.url}/v1/calls/${created.body.id}`,
      'GET',
      undefined,
      asAdmin,
    );
    assert.equal(detail.status, 200);
    assert.equal('consent' in detail.body, false);
  });
});
