/**
 * Admission control on the real stack: a worker that takes one call at a time
 * (`PARLEY_AGENT_MAX_JOBS=1`) reports its load with its heartbeats, and the server refuses the
 * next session at once with `at_capacity` and `Retry-After` instead of handing out a room no agent
 * would enter. Once the call ends, a new visitor is admitted and greeted. The suite starts a stack
 * of its own (ports shifted clear of the shared test stack's), since it fills its worker.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { dispose } from '@livekit/rtc-node';
import type { Persona, SessionResponse } from '@parley/contracts';
import { REPO_ROOT, TEST_PORTS, shiftPorts } from '../../scripts/lib/stack-config.js';
import { eventually, openSession } from '../support/calls.js';
import { assignNumber, phoneCallsFrom } from '../support/phone-calls.js';
import { SipPhone } from '../support/sip-phone.js';
import { greetedVisitor, type HeadlessVisitor } from '../support/headless-visitor.js';
import { errorOf, requestSession } from '../support/security-sessions.js';
import { personaOf, startLoggedStack, type LoggedStack } from '../support/stack-env.js';

/** By a multiple of livekit-sip's RTP range, so no port of this stack meets the shared stack's. */
const ports = shiftPorts(TEST_PORTS, 500);

let stack: LoggedStack;
let persona: Persona;
const visitors: HeadlessVisitor[] = [];
const phones: SipPhone[] = [];
/** This suite's line, and the callers who dial it. */
const LINE = '+15550500001';
const REFUSED_CALLER = '+15557500001';
const ADMITTED_CALLER = '+15557500002';

/** A visitor's session request, from an address of the suite's own (RFC 5737). */
const askForSession = () => requestSession(stack, persona.id, { address: '192.0.2.50' });

before(async () => {
  stack = await startLoggedStack(
    'admission',
    path.join(REPO_ROOT, 'tests', 'artifacts', 'admission-stack.log'),
    {
      ports,
      agentEnv: { PARLEY_AGENT_MAX_JOBS: '1' },
    },
  );
  persona = await personaOf(stack);
  await assignNumber(stack, LINE, persona.id);
});

after(async () => {
  for (const phone of phones) await phone.stop();
  for (const visitor of visitors) await visitor.leave();
  await dispose();
  await stack?.release();
});

describe('admission control: a full worker', () => {
  test('the next visitor is refused at once with at_capacity and Retry-After, and is served once the call ends', async () => {
    const first = await greetedVisitor(
      await openSession(stack, persona.id),
      persona.greeting,
      visitors,
    );
    // The worker reports its one call with its next load poll (every 2.5 s).
    const refused = await eventually(
      'a session refused while the only call slot is taken',
      askForSession,
      (res) => res.status !== 201,
      15_000,
    );
    assert.equal(refused.status, 503);
    assert.equal((await errorOf(refused)).code, 'at_capacity');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 10, `Retry-After: ${retryAfter}`);
    // Still full while the call goes on.
    assert.equal((await askForSession()).status, 503);

    await first.leave();
    const admitted = await eventually(
      'a session admitted once the call has ended',
      askForSession,
      (res) => res.status === 201,
      30_000,
    );
    const second = await greetedVisitor(
      (await admitted.json()) as SessionResponse,
      persona.greeting,
      visitors,
    );
    assert.ok(second.agentPresent, 'the admitted visitor has an agent');
  });

  test('a phone caller is refused at once, not left ringing, and is answered once the call ends', async () => {
    // The web visitor admitted last is still in their call: the worker is full.
    const busy = visitors.at(-1);
    assert.ok(busy?.agentPresent, 'a call holds the only slot');
    const refused = await SipPhone.start({ number: REFUSED_CALLER });
    phones.push(refused);
    await refused.dial(LINE, stack.sipAddress);
    // livekit-sip keeps a caller ringing until the agent speaks (up to its ringing timeout); a
    // refused caller's call ends instead, well within that.
    const closed = await refused.waitFor('CALL_CLOSED', 15_000);
    assert.ok(
      !refused.events.some((e) => e.type === 'CALL_ESTABLISHED'),
      `never answered (closed: ${closed.param ?? '-'})`,
    );
    assert.deepEqual(await phoneCallsFrom(stack, REFUSED_CALLER), [], 'no call was recorded');

    await busy.leave();
    const admitted = await SipPhone.start({ number: ADMITTED_CALLER });
    phones.push(admitted);
    // A slot frees once the worker reports the call's end (within its 2.5 s load poll).
    await eventually(
      'a caller answered once the slot is free',
      async () => {
        const seen = admitted.events.length;
        await admitted.dial(LINE, stack.sipAddress);
        const outcome = await Promise.race([
          admitted.waitFor('CALL_ESTABLISHED', 20_000, seen).then(() => 'answered'),
          admitted.waitFor('CALL_CLOSED', 20_000, seen).then(() => 'refused'),
        ]);
        if (outcome === 'answered') return outcome;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return outcome;
      },
      (outcome) => outcome === 'answered',
      45_000,
    );
  });
});
