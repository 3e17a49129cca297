/**
 * The phone-number routes' own checks, before and around provisioning. LiveKit's side is held in
 * memory here; `phone-numbers-livekit.test.ts` runs the same routes against the real server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PhoneProvisioner } from '@parley/sip';
import type { PhoneNumber } from '@parley/contracts';
import { asAdmin, request, startTestApp, type TestApp } from '../../test/test-app.js';
import { InMemorySipApi } from './in-memory-sip-api.js';
import { PhoneNumbers, type ReconcileReport } from './phone-numbers.js';

let app: TestApp;
const livekit = new InMemorySipApi();

before(async () => {
  app = await startTestApp((_tenant, storage) => ({
    phoneNumbers: new PhoneNumbers({
      db: storage.db,
      secretCipher: storage.secretCipher,
      provisioner: new PhoneProvisioner({ client: livekit }),
      defaultAllowedAddresses: [],
    }),
  }));
});
after(async () => {
  await app.stop();
});

const put = (e164: string, body: unknown) =>
  request<PhoneNumber & { error?: { code: string; message: string } }>(
    `${app.url}/v1/phone-numbers/${encodeURIComponent(e164)}`,
    'PUT',
    body,
    asAdmin,
  );

describe('PUT /v1/phone-numbers/:e164', () => {
  test('when neither addresses nor credentials restrict the number, then it is refused and nothing is made', async () => {
    const res = await put('+14155550201', { personaId: 'default' });
    assert.deepEqual([res.status, res.body.error?.code], [422, 'unrestricted_trunk']);
    assert.deepEqual([livekit.trunks.size, livekit.rules.size], [0, 0]);
    assert.equal(await app.tenant.phoneNumbers.get('+14155550201'), undefined);
  });

  test('when credentials are half given, then the request is refused naming what is missing', async () => {
    const noPassword = await put('+14155550202', { personaId: 'default', authUsername: 'carrier' });
    const noUsername = await put('+14155550202', {
      personaId: 'default',
      authPassword: 'a-password-123',
    });
    assert.deepEqual([noPassword.status, noPassword.body.error?.code], [400, 'invalid_request']);
    assert.match(noPassword.body.error?.message ?? '', /authPassword/);
    assert.deepEqual([noUsername.status, noUsername.body.error?.code], [400, 'invalid_request']);
    assert.equal(livekit.trunks.size, 0);
  });

  test('when an address is not an IP or CIDR, then the request is refused', async () => {
    const res = await put('+14155550203', {
      personaId: 'default',
      allowedAddresses: ['sip.carrier.example'],
    });
    assert.deepEqual([res.status, res.body.error?.code], [400, 'invalid_request']);
    assert.equal(livekit.trunks.size, 0);
  });

  test('when the persona does not exist, then LiveKit is not touched', async () => {
    const res = await put('+14155550204', {
      personaId: 'ghost',
      allowedAddresses: ['203.0.113.9'],
    });
    assert.deepEqual([res.status, res.body.error?.code], [404, 'persona_not_found']);
    assert.equal(livekit.trunks.size, 0);
  });

  test('when digest credentials are given, then the trunk gets them and a later PUT without the password keeps it', async () => {
    const first = await put('+14155550205', {
      personaId: 'default',
      authUsername: 'carrier',
      authPassword: 'a-password-123',
    });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const trunkId = first.body.provisioning?.trunkId ?? '';
    assert.equal(livekit.trunks.get(trunkId)?.authPassword, 'a-password-123');
    assert.deepEqual(livekit.trunks.get(trunkId)?.allowedAddresses, []);

    const again = await put('+14155550205', { personaId: 'default', authUsername: 'carrier' });
    assert.equal(again.status, 200);
    assert.equal(livekit.trunks.get(trunkId)?.authPassword, 'a-password-123');

    const dropped = await put('+14155550205', {
      personaId: 'default',
      allowedAddresses: ['203.0.113.9'],
    });
    assert.equal(dropped.status, 200);
    assert.equal(dropped.body.authUsername, undefined);
    assert.equal(livekit.trunks.get(trunkId)?.authUsername, '');
    assert.equal(await app.tenant.secrets.reveal('SIP_INBOUND_14155550205'), undefined);
  });
});

describe('POST /v1/phone-numbers/reconcile', () => {
  test('when the stored password was deleted by hand, then the number loses its trunk and rule rather than go unrestricted', async () => {
    const e164 = '+14155550206';
    const assigned = await put(e164, {
      personaId: 'default',
      authUsername: 'carrier',
      authPassword: 'a-password-123',
    });
    assert.equal(assigned.status, 200);
    await app.tenant.secrets.remove('SIP_INBOUND_14155550206');

    const res = await request<ReconcileReport>(
      `${app.url}/v1/phone-numbers/reconcile`,
      'POST',
      undefined,
      asAdmin,
    );

    assert.equal(res.status, 200);
    const mine = res.body.repaired.filter((line) => line.includes(e164));
    assert.equal(mine.length, 2, res.body.repaired.join('\n'));
    assert.ok(mine.every((line) => line.includes('neither allowed addresses nor credentials')));
    assert.equal(livekit.trunks.has(assigned.body.provisioning?.trunkId ?? ''), false);
    const got = await request<PhoneNumber>(
      `${app.url}/v1/phone-numbers/${encodeURIComponent(e164)}`,
      'GET',
      undefined,
      asAdmin,
    );
    assert.equal(got.body.provisioning, undefined, 'no ids LiveKit no longer has');
  });
});
