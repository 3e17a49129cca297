import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dialTargetOf, OutboundPhone, unansweredOutcome } from './outbound-phone.js';
import { ScriptedPhoneDialer } from './scripted-phone-dialer.js';
import { WorkerRegistry } from '../../livekit/worker-registry.js';
import type { TenantStorage } from '../../storage/index.js';
import { forEachBackend, newTenant, openReplicas } from '../../../test/test-backends.js';

test('a transfer target dials its E.164 number, or the user of its sip: URI through the trunk', () => {
  assert.equal(dialTargetOf('+15550004444'), '+15550004444');
  assert.equal(dialTargetOf('sip:frontdesk@pbx.example.com'), 'frontdesk');
  assert.equal(dialTargetOf('sips:+15550004444@pbx.example.com;transport=tls'), '+15550004444');
});

test('a call nobody answered ends failed when the dial failed, abandoned when busy or unanswered', () => {
  assert.equal(unansweredOutcome('failed'), 'failed');
  assert.equal(unansweredOutcome('busy'), 'abandoned');
  assert.equal(unansweredOutcome('no_answer'), 'abandoned');
});

/** Within the default persona's business hours (weekdays, 9 to 5 in New York). */
const MONDAY_NOON_NEW_YORK = new Date('2026-12-07T17:00:00Z');

/** Waits until the dial placed for the call has been followed up (it answers at once). */
async function answered(tenant: TenantStorage, callId: string): Promise<void> {
  while ((await tenant.calls.get(callId))?.phoneStatus !== 'answered') {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

forEachBackend((backend) => {
  describe('outbound calls on two server replicas', () => {
    test('when both replicas place calls for one tenant at once, then exactly its maxConcurrentPhoneCalls are admitted, and only they take an agent slot', async () => {
      const [one, two] = await openReplicas(backend);
      const tenantId = await newTenant(one, 'outbound');
      const setup = one.forTenant(tenantId);
      await setup.personas.ensureDefault();
      const persona = await setup.personas.get('default');
      assert.ok(persona);
      await setup.dialRules.setPolicy({ allowedPrefixes: ['+1'], maxConcurrentPhoneCalls: 3 });
      await setup.outboundTrunks.put({
        name: 'main',
        address: 'sip.example:5060',
        numbers: ['+15550000001'],
        transport: 'udp',
        trunkId: 'ST_1',
      });
      await new WorkerRegistry(one.db).heartbeat('AW_a', { activeJobs: 0, maxJobs: 100 });
      const [first, second] = [one, two].map((storage) => ({
        tenant: storage.forTenant(tenantId),
        phone: new OutboundPhone({
          dialer: new ScriptedPhoneDialer(),
          agents: new WorkerRegistry(storage.db),
          now: () => MONDAY_NOON_NEW_YORK,
        }),
      }));
      assert.ok(first && second);

      // On PostgreSQL each replica's pool runs ten of them at a time.
      const answers = await Promise.allSettled(
        Array.from({ length: 16 }, (_, i) => {
          const { tenant, phone } = i % 2 === 0 ? first : second;
          const to = `+1555000${2000 + i}`;
          return phone.placeCall(tenant, persona, { persona: 'default', to }, undefined);
        }),
      );

      const placed = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
      const refused = answers.flatMap((a) =>
        a.status === 'rejected' ? [(a.reason as { code?: string }).code] : [],
      );
      assert.equal(placed.length, 3);
      assert.deepEqual(new Set(refused), new Set(['phone_call_limit']));
      assert.equal(await setup.dialRules.activePhoneCalls(), 3);
      const [holds] = await one.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM admission_holds',
      );
      assert.equal(holds?.n, 3, 'a refused call holds no slot');
      for (const call of placed) await answered(setup, call.callId);
    });
  });
});
