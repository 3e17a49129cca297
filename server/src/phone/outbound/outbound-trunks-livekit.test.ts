/**
 * Outbound trunks against the real livekit-server of the test stack (`PARLEY_TEST_STACK`, set by
 * `scripts/test.ts`): what the admin API stores is what LiveKit holds, and LiveKit's refusal
 * leaves nothing stored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SipClient } from 'livekit-server-sdk';
import type { OutboundTrunk } from '@parley/contracts';
import { asAdmin, request, startTestApp, type TestApp } from '../../../test/test-app.js';
import { LivekitPhoneDialer } from './livekit-phone-dialer.js';

interface StackEnv {
  livekitUrl: string;
  secrets: { livekitApiKey: string; livekitApiSecret: string };
}

const raw = process.env.PARLEY_TEST_STACK;
const stack = raw ? (JSON.parse(raw) as StackEnv) : undefined;

describe(
  'outbound trunks in LiveKit',
  { skip: stack ? false : 'runs against the test stack: tsx scripts/test.ts <this file>' },
  () => {
    let app: TestApp;
    let down: TestApp;
    let sip: SipClient;
    const livekitTrunk = async (id: string) =>
      (await sip.listSipOutboundTrunk({ trunkIds: [id] })).find((t) => t?.sipTrunkId === id);

    before(async () => {
      if (!stack) return;
      const { livekitUrl, secrets } = stack;
      const dialer = new LivekitPhoneDialer({
        url: livekitUrl,
        apiKey: secrets.livekitApiKey,
        apiSecret: secrets.livekitApiSecret,
      });
      app = await startTestApp(() => ({ phoneDialer: dialer }));
      // LiveKit's port, but nothing listens there: every request to it fails.
      const nowhere = new LivekitPhoneDialer({
        url: 'http://127.0.0.1:9',
        apiKey: secrets.livekitApiKey,
        apiSecret: secrets.livekitApiSecret,
      });
      down = await startTestApp(() => ({ phoneDialer: nowhere }));
      sip = new SipClient(
        livekitUrl.replace(/^ws/, 'http'),
        secrets.livekitApiKey,
        secrets.livekitApiSecret,
      );
    });
    after(async () => {
      await app?.stop();
      await down?.stop();
    });

    test('a trunk put through the admin API is created in LiveKit, replaced, and deleted', async () => {
      const body = {
        address: '127.0.0.1:5099',
        numbers: ['+15550009001'],
        transport: 'tcp',
        authUsername: 'parley-out',
        authPassword: 'carrier-secret-1',
      };
      const created = await request<OutboundTrunk>(
        `${app.url}/v1/outbound-trunks/carrier`,
        'PUT',
        body,
        asAdmin,
      );
      assert.equal(created.status, 200);
      const first = await livekitTrunk(created.body.trunkId);
      assert.ok(first, 'LiveKit holds the trunk');
      assert.equal(first.address, '127.0.0.1:5099');
      assert.deepEqual(first.numbers, ['+15550009001']);
      assert.equal(first.authUsername, 'parley-out');
      assert.equal(first.name, `parley:${app.tenant.tenantId}:carrier`);
      assert.equal(first.transport, 2, 'TCP');

      const replaced = await request<OutboundTrunk>(
        `${app.url}/v1/outbound-trunks/carrier`,
        'PUT',
        { ...body, address: '127.0.0.1:5098', transport: 'udp' },
        asAdmin,
      );
      assert.equal(replaced.status, 200);
      assert.notEqual(replaced.body.trunkId, created.body.trunkId);
      assert.equal(await livekitTrunk(created.body.trunkId), undefined, 'the old trunk is gone');
      assert.equal((await livekitTrunk(replaced.body.trunkId))?.address, '127.0.0.1:5098');

      const removed = await request(
        `${app.url}/v1/outbound-trunks/carrier`,
        'DELETE',
        undefined,
        asAdmin,
      );
      assert.equal(removed.status, 204);
      assert.equal(await livekitTrunk(replaced.body.trunkId), undefined);
    });

    test('when LiveKit cannot be reached, the trunk is refused with sip_unavailable and nothing is stored', async () => {
      const res = await request<{ error: { code: string } }>(
        `${down.url}/v1/outbound-trunks/carrier`,
        'PUT',
        { address: '127.0.0.1:5099', numbers: ['+15550009001'] },
        asAdmin,
      );
      assert.equal(res.status, 503);
      assert.equal(res.body.error.code, 'sip_unavailable');
      assert.deepEqual(await down.tenant.outboundTrunks.list(), []);
    });
  },
);
