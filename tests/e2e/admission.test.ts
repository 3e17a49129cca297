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
import type { ApiErrorBody, Persona, SessionResponse } from '@parley/contracts';
import { REPO_ROOT, TEST_PORTS, type StackPorts } from '../../scripts/lib/stack-config.js';
import { eventually, openSession } from '../support/calls.js';
import { HeadlessVisitor } from '../support/headless-visitor.js';
import { personaOf, startLoggedStack, type LoggedStack } from '../support/stack-env.js';

/** A multiple of livekit-sip's RTP range, so no port of this stack meets the shared stack's. */
const PORT_SHIFT = 500;
const ports = Object.fromEntries(
  Object.entries(TEST_PORTS).map(([key, port]) => [key, port + PORT_SHIFT]),
) as unknown as StackPorts;

let stack: LoggedStack;
let persona: Persona;
const visitors: HeadlessVisitor[] = [];

async function requestSession(): Promise<Response> {
  return fetch(`${stack.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ persona: persona.id }),
  });
}

async function greetedVisitor(session: SessionResponse): Promise<HeadlessVisitor> {
  const visitor = new HeadlessVisitor();
  visitors.push(visitor);
  await visitor.join(session);
  await visitor.publishMicrophone(16_000);
  await visitor.waitUntil(
    'the greeting',
    () => visitor.transcript('agent').includes(persona.greeting),
    60_000,
  );
  return visitor;
}

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
});

after(async () => {
  for (const visitor of visitors) await visitor.leave();
  await dispose();
  await stack?.release();
});

describe('admission control: a full worker', () => {
  test('the next visitor is refused at once with at_capacity and Retry-After, and is served once the call ends', async () => {
    const first = await greetedVisitor(await openSession(stack, persona.id));
    // The worker reports its one call with its next load poll (every 2.5 s).
    const refused = await eventually(
      'a session refused while the only call slot is taken',
      requestSession,
      (res) => res.status !== 201,
      15_000,
    );
    assert.equal(refused.status, 503);
    assert.equal(((await refused.json()) as ApiErrorBody).error.code, 'at_capacity');
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 10, `Retry-After: ${retryAfter}`);
    // Still full while the call goes on.
    assert.equal((await requestSession()).status, 503);

    await first.leave();
    const admitted = await eventually(
      'a session admitted once the call has ended',
      requestSession,
      (res) => res.status === 201,
      30_000,
    );
    const second = await greetedVisitor((await admitted.json()) as SessionResponse);
    assert.ok(second.agentPresent, 'the admitted visitor has an agent');
  });
});
