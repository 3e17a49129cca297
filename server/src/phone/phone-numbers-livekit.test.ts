/**
 * Phone numbers against the real livekit-server of the test stack (`PARLEY_TEST_STACK`, set by
 * `scripts/test.ts`): what the admin API assigns is what LiveKit holds — one restricted trunk and
 * one individual rule naming it per number — and LiveKit's absence leaves nothing stored.
 * Reconciliation covers every Parley object in LiveKit, so it runs through the stack's own server
 * (whose database knows every suite's numbers), never through an in-process app.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PhoneProvisioner } from '@parley/sip';
import { SipClient, type SIPDispatchRuleInfo, type SIPInboundTrunkInfo } from 'livekit-server-sdk';
import type { PhoneNumber } from '@parley/contracts';
import { asAdmin, createTenant, request, startTestApp, type TestApp } from '../../test/test-app.js';
import { PhoneNumbers, type ReconcileReport } from './phone-numbers.js';

interface StackEnv {
  url: string;
  livekitUrl: string;
  secrets: { livekitApiKey: string; livekitApiSecret: string; adminKey: string };
}

const raw = process.env.PARLEY_TEST_STACK;
const stack = raw ? (JSON.parse(raw) as StackEnv) : undefined;

/** Numbers of this file only (+1 555 01x xxxx), fresh per run so reruns never collide. */
const run = String(Date.now() % 10_000).padStart(4, '0');
const numberFor = (n: number) => `+1555${String(n).padStart(2, '0')}${run}`.slice(0, 12);

describe(
  'phone numbers provisioned in LiveKit',
  { skip: stack ? false : 'runs against the test stack: tsx scripts/test.ts <this file>' },
  () => {
    let app: TestApp;
    let down: TestApp;
    let sip: SipClient;
    const logs: string[] = [];

    const trunkOf = async (id: string): Promise<SIPInboundTrunkInfo | undefined> =>
      (await sip.listSipInboundTrunk()).find((t) => t.sipTrunkId === id);
    const ruleOf = async (id: string): Promise<SIPDispatchRuleInfo | undefined> =>
      (await sip.listSipDispatchRule()).find((r) => r.sipDispatchRuleId === id);
    const parleyObjects = async (e164: string) => ({
      trunks: (await sip.listSipInboundTrunk()).filter((t) => t.name === `parley:${e164}`),
      rules: (await sip.listSipDispatchRule()).filter((r) => r.name === `parley:${e164}`),
    });
    const put = (base: TestApp | string, e164: string, body: unknown, headers = asAdmin) =>
      request<PhoneNumber & { error?: { code: string } }>(
        `${typeof base === 'string' ? base : base.url}/v1/phone-numbers/${encodeURIComponent(e164)}`,
        'PUT',
        body,
        headers,
      );

    before(async () => {
      if (!stack) return;
      const { livekitUrl, secrets } = stack;
      const provisioner = new PhoneProvisioner({
        url: livekitUrl,
        apiKey: secrets.livekitApiKey,
        apiSecret: secrets.livekitApiSecret,
      });
      app = await startTestApp((tenant, storage) => {
        void tenant;
        return {
          phoneNumbers: new PhoneNumbers({
            db: storage.db,
            secretCipher: storage.secretCipher,
            provisioner,
            defaultAllowedAddresses: ['127.0.0.1/32'],
            log: (line) => logs.push(line),
          }),
        };
      });
      // Nothing listens on port 9: every request to "LiveKit" fails.
      down = await startTestApp((_tenant, storage) => ({
        phoneNumbers: new PhoneNumbers({
          db: storage.db,
          secretCipher: storage.secretCipher,
          provisioner: new PhoneProvisioner({
            url: 'http://127.0.0.1:9',
            apiKey: secrets.livekitApiKey,
            apiSecret: secrets.livekitApiSecret,
          }),
          defaultAllowedAddresses: ['127.0.0.1/32'],
        }),
      }));
      await app.tenant.personas.create({
        id: 'sales',
        name: 'S',
        greeting: 'Hi',
        instructions: '',
      });
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

    test('when a number is assigned, then LiveKit holds a restricted trunk for it and a rule naming that trunk', async () => {
      const e164 = numberFor(1);
      const res = await put(app, e164, { personaId: 'default', label: 'front desk' });

      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { provisioning } = res.body;
      assert.ok(provisioning, 'the answer names the LiveKit objects');
      assert.deepEqual(provisioning.allowedAddresses, ['127.0.0.1/32']);
      assert.equal(provisioning.authRequired, false);
      const trunk = await trunkOf(provisioning.trunkId);
      assert.ok(trunk);
      assert.equal(trunk.name, `parley:${e164}`);
      assert.deepEqual(trunk.numbers, [e164]);
      assert.deepEqual(trunk.allowedAddresses, ['127.0.0.1/32']);
      assert.deepEqual(JSON.parse(trunk.metadata), {
        parley: true,
        tenantId: app.tenant.tenantId,
        e164,
      });
      const rule = await ruleOf(provisioning.dispatchRuleId);
      assert.ok(rule);
      assert.deepEqual(rule.trunkIds, [provisioning.trunkId]);
      assert.equal(rule.rule?.rule.case, 'dispatchRuleIndividual');
      assert.equal(
        rule.rule?.rule.case === 'dispatchRuleIndividual' && rule.rule.rule.value.roomPrefix,
        'phone-',
      );
      const agents = rule.roomConfig?.agents ?? [];
      assert.deepEqual(
        agents.map((a) => [a.agentName, JSON.parse(a.metadata) as unknown]),
        [
          [
            'parley',
            {
              personaId: 'default',
              tenantId: app.tenant.tenantId,
              channel: 'phone',
              direction: 'inbound',
            },
          ],
        ],
      );
      const got = await request<PhoneNumber>(
        `${app.url}/v1/phone-numbers/${encodeURIComponent(e164)}`,
        'GET',
        undefined,
        asAdmin,
      );
      assert.deepEqual(got.body, res.body);
    });

    test('when the number is pointed at another persona, then the same rule dispatches that persona', async () => {
      const e164 = numberFor(1);
      const before = (await put(app, e164, { personaId: 'default' })).body.provisioning;
      const moved = await put(app, e164, { personaId: 'sales' });

      assert.equal(moved.status, 200);
      assert.deepEqual(moved.body.provisioning, before, 'repaired in place: the same ids');
      const rule = await ruleOf(moved.body.provisioning?.dispatchRuleId ?? '');
      const metadata = JSON.parse(rule?.roomConfig?.agents[0]?.metadata ?? '{}') as {
        personaId?: string;
      };
      assert.equal(metadata.personaId, 'sales');
      assert.ok(logs.some((l) => l.includes(`updated the dispatch rule`) && l.includes(e164)));
      const objects = await parleyObjects(e164);
      assert.deepEqual([objects.trunks.length, objects.rules.length], [1, 1]);
    });

    test('when a number brings digest credentials, then the trunk requires them and the password is never answered', async () => {
      const e164 = numberFor(2);
      const password = 'carrier-password-0123';
      const res = await put(app, e164, {
        personaId: 'default',
        allowedAddresses: ['198.51.100.0/24'],
        authUsername: 'carrier',
        authPassword: password,
      });

      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.authUsername, 'carrier');
      assert.deepEqual(res.body.allowedAddresses, ['198.51.100.0/24']);
      assert.equal(res.body.provisioning?.authRequired, true);
      assert.ok(!JSON.stringify(res.body).includes(password));
      const trunk = await trunkOf(res.body.provisioning?.trunkId ?? '');
      assert.equal(trunk?.authUsername, 'carrier');
      assert.deepEqual(trunk?.allowedAddresses, ['198.51.100.0/24']);
      assert.equal(await app.tenant.secrets.reveal(`SIP_INBOUND_${e164.slice(1)}`), password);

      // The same username without a password keeps the stored one.
      const again = await put(app, e164, {
        personaId: 'sales',
        allowedAddresses: ['198.51.100.0/24'],
        authUsername: 'carrier',
      });
      assert.equal(again.status, 200);
      assert.equal(await app.tenant.secrets.reveal(`SIP_INBOUND_${e164.slice(1)}`), password);
      assert.equal(
        (await trunkOf(again.body.provisioning?.trunkId ?? ''))?.authUsername,
        'carrier',
      );
    });

    test('when LiveKit cannot be reached, then the assignment fails with sip_unavailable and nothing is stored', async () => {
      const e164 = numberFor(3);
      const res = await put(down, e164, { personaId: 'default' });

      assert.equal(res.status, 503);
      assert.equal(res.body.error?.code, 'sip_unavailable');
      assert.equal(await down.tenant.phoneNumbers.get(e164), undefined);
      assert.deepEqual(await down.tenant.secrets.list(), []);
    });

    test('when a number would accept calls from anyone, then it is refused and LiveKit gets nothing', async () => {
      const e164 = numberFor(4);
      const open = await startTestApp((_tenant, storage) => ({
        phoneNumbers: new PhoneNumbers({
          db: storage.db,
          secretCipher: storage.secretCipher,
          provisioner: new PhoneProvisioner({
            url: stack?.livekitUrl ?? '',
            apiKey: stack?.secrets.livekitApiKey ?? '',
            apiSecret: stack?.secrets.livekitApiSecret ?? '',
          }),
          defaultAllowedAddresses: [],
        }),
      }));
      try {
        const res = await put(open, e164, { personaId: 'default' });
        assert.equal(res.status, 422);
        assert.equal(res.body.error?.code, 'unrestricted_trunk');
        assert.equal(await open.tenant.phoneNumbers.get(e164), undefined);
        assert.deepEqual(await parleyObjects(e164), { trunks: [], rules: [] });
      } finally {
        await open.stop();
      }
    });

    test('when a number is removed, then its trunk and rule are gone from LiveKit', async () => {
      const e164 = numberFor(5);
      const { provisioning } = (await put(app, e164, { personaId: 'default' })).body;
      assert.ok(provisioning);
      const removed = await request(
        `${app.url}/v1/phone-numbers/${encodeURIComponent(e164)}`,
        'DELETE',
        undefined,
        asAdmin,
      );

      assert.equal(removed.status, 204);
      assert.equal(await trunkOf(provisioning.trunkId), undefined);
      assert.equal(await ruleOf(provisioning.dispatchRuleId), undefined);
      assert.equal(await app.tenant.phoneNumbers.get(e164), undefined);
    });

    test('after every assignment, no dispatch rule in LiveKit lacks trunkIds', async () => {
      const rules = await sip.listSipDispatchRule();
      assert.ok(rules.length > 0);
      assert.deepEqual(
        rules.filter((r) => r.trunkIds.length === 0).map((r) => `${r.sipDispatchRuleId} ${r.name}`),
        [],
      );
    });

    test('when a rule is deleted behind the server and a stale trunk appears, then reconcile repairs both', async () => {
      assert.ok(stack);
      // The in-process app's numbers are unknown to the stack's server: remove them first.
      for (const n of [numberFor(1), numberFor(2)]) {
        const path = `${app.url}/v1/phone-numbers/${encodeURIComponent(n)}`;
        assert.equal((await request(path, 'DELETE', undefined, asAdmin)).status, 204);
      }
      const asOperator = { authorization: `Bearer ${stack.secrets.adminKey}` };
      // Through the stack's own server: its database knows every suite's numbers.
      const e164 = numberFor(6);
      const stale = numberFor(7);
      const assigned = await put(stack.url, e164, { personaId: 'default' }, asOperator);
      assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
      const { provisioning } = assigned.body;
      assert.ok(provisioning);
      await sip.deleteSipDispatchRule(provisioning.dispatchRuleId);
      const orphan = await sip.createSipInboundTrunk(`parley:${stale}`, [stale], {
        allowedAddresses: ['127.0.0.1/32'],
      });

      const res = await request<ReconcileReport>(
        `${stack.url}/v1/phone-numbers/reconcile`,
        'POST',
        undefined,
        asOperator,
      );

      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(
        res.body.repaired.includes(
          `created the dispatch rule of ${e164} (the dispatch rule was missing)`,
        ),
        res.body.repaired.join('\n'),
      );
      assert.ok(
        res.body.repaired.includes(
          `deleted the inbound trunk ${orphan.sipTrunkId} of ${stale} (the number is no longer assigned)`,
        ),
        res.body.repaired.join('\n'),
      );
      assert.deepEqual(res.body.failed, []);
      const objects = await parleyObjects(e164);
      assert.deepEqual(
        objects.rules.map((r) => r.trunkIds),
        [[provisioning.trunkId]],
      );
      assert.deepEqual(await parleyObjects(stale), { trunks: [], rules: [] });
      const stored = await request<PhoneNumber>(
        `${stack.url}/v1/phone-numbers/${encodeURIComponent(e164)}`,
        'GET',
        undefined,
        asOperator,
      );
      assert.equal(stored.body.provisioning?.dispatchRuleId, objects.rules[0]?.sipDispatchRuleId);
      const second = await request<ReconcileReport>(
        `${stack.url}/v1/phone-numbers/reconcile`,
        'POST',
        undefined,
        asOperator,
      );
      assert.deepEqual(
        second.body.repaired.filter((line) => line.includes(e164) || line.includes(stale)),
        [],
        'a second run finds nothing more to repair',
      );
      await request(
        `${stack.url}/v1/phone-numbers/${encodeURIComponent(e164)}`,
        'DELETE',
        undefined,
        asOperator,
      );
    });

    test("when a tenant's key asks for reconciliation, then it is refused: only the operator may", async () => {
      const acme = await createTenant(app.url, 'acme');
      const res = await request<{ error: { code: string } }>(
        `${app.url}/v1/phone-numbers/reconcile`,
        'POST',
        undefined,
        acme.headers,
      );
      assert.equal(res.status, 403);
      assert.equal(res.body.error.code, 'forbidden');
    });
  },
);
