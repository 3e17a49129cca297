/**
 * Who may open web sessions, over real HTTP against the running (production-mode) server: only
 * pages at a persona's allowed origins, and only so many per client address and per persona a
 * minute. The limits are the server's (`PARLEY_SESSION_RATE`, `PARLEY_PERSONA_SESSION_RATE`,
 * defaults in server/src/config.ts); the stack passes its environment on to the server, so the
 * suite reads the same values.
 *
 * Every request names a documentation address (see security-sessions.ts) and a persona of this
 * suite's own, so the budgets other suites draw on (127.0.0.1, the `default` persona) are untouched.
 */
import assert from 'node:assert/strict';
import { before, after, describe, test } from 'node:test';
import type { PersonaInput } from '@parley/contracts';
import { putPersona } from '../support/calls.js';
import { errorOf, requestSession } from '../support/security-sessions.js';
import { testStack, type TestStack } from '../support/stack-env.js';

const SESSIONS_PER_ADDRESS = Number(process.env.PARLEY_SESSION_RATE ?? 30);
const SESSIONS_PER_PERSONA = Number(process.env.PARLEY_PERSONA_SESSION_RATE ?? 600);
/** The limiters' window (server/src/app.ts): Retry-After never asks for more. */
const WINDOW_SECONDS = 60;

const SHOP = 'https://shop.example';
const persona = (id: string): PersonaInput => ({
  id,
  name: 'Security',
  greeting: 'Hello.',
  instructions: 'Help callers.',
  allowedOrigins: [SHOP],
});
const ORIGINS = persona('security-origins');
const PER_ADDRESS = persona('security-rate-address');
const PER_PERSONA = persona('security-rate-persona');

let stack: TestStack;

before(async () => {
  stack = await testStack();
  for (const p of [ORIGINS, PER_ADDRESS, PER_PERSONA]) await putPersona(stack, p);
});

after(() => stack.release());

/** The seconds a 429 asks the client to wait. */
function retryAfter(res: Response): number {
  const header = res.headers.get('retry-after') ?? '';
  assert.match(header, /^\d+$/, `Retry-After: ${header}`);
  const seconds = Number(header);
  assert.ok(seconds >= 1 && seconds <= WINDOW_SECONDS, `Retry-After: ${seconds}`);
  return seconds;
}

/** Runs `tasks` with at most `width` in flight; answers their results in order. */
async function inParallel<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

describe('the origin allowlist', () => {
  const address = '203.0.113.10';

  test('when the page is at an allowed origin, then the session is granted (control)', async () => {
    const res = await requestSession(stack, ORIGINS.id, { address, origin: SHOP });
    assert.equal(res.status, 201, await res.text());
  });

  test('when the page is at any other origin, then the session is refused with 403 origin_not_allowed', async () => {
    const refused = [
      'https://evil.example',
      'https://shop.example.evil.example',
      'http://shop.example',
      'https://shop.example:8443',
      'null',
      // Development only: this server runs in production mode.
      'http://localhost:5173',
    ];
    for (const origin of refused) {
      const res = await requestSession(stack, ORIGINS.id, { address, origin });
      assert.equal(res.status, 403, origin);
      const error = await errorOf(res);
      assert.equal(error.code, 'origin_not_allowed');
      assert.ok(error.message.includes(origin), error.message);
    }
  });

  test('when a page at another origin asks for the widget configuration, then it is refused too', async () => {
    const url = `${stack.url}/v1/widget-config?persona=${ORIGINS.id}`;
    const refused = await fetch(url, { headers: { origin: 'https://evil.example' } });
    assert.equal(refused.status, 403);
    assert.equal((await errorOf(refused)).code, 'origin_not_allowed');
    const allowed = await fetch(url, { headers: { origin: SHOP } });
    assert.equal(allowed.status, 200);
  });
});

describe('session rate limits', () => {
  test('when one client address asks for more sessions than its limit in a minute, then 429 rate_limited with Retry-After, and other addresses are still served', async () => {
    const address = '203.0.113.20';
    const granted = await inParallel(
      Array.from({ length: SESSIONS_PER_ADDRESS }, () => async () => {
        const res = await requestSession(stack, PER_ADDRESS.id, { address });
        return res.status;
      }),
      8,
    );
    assert.deepEqual(new Set(granted), new Set([201]));
    const over = await requestSession(stack, PER_ADDRESS.id, { address });
    assert.equal(over.status, 429);
    retryAfter(over);
    const error = await errorOf(over);
    assert.equal(error.code, 'rate_limited');
    assert.match(error.message, /too many session requests/);
    const other = await requestSession(stack, PER_ADDRESS.id, { address: '203.0.113.21' });
    assert.equal(other.status, 201, 'the limit is per address');
  });

  test('when one persona is asked for more sessions than its limit in a minute from many addresses, then 429 rate_limited with Retry-After, and other personas are still served', async () => {
    const total = SESSIONS_PER_PERSONA + 1;
    // Within every address's own limit, so only the persona's can refuse.
    const addresses = Math.ceil(total / SESSIONS_PER_ADDRESS);
    assert.ok(addresses < 255, `${addresses} addresses do not fit in 198.51.100.0/24`);
    const answers = await inParallel(
      Array.from({ length: total }, (_, i) => async () => {
        const address = `198.51.100.${1 + Math.floor(i / SESSIONS_PER_ADDRESS)}`;
        const res = await requestSession(stack, PER_PERSONA.id, { address });
        if (res.status === 201) return { status: 201 };
        retryAfter(res);
        return { status: res.status, error: await errorOf(res) };
      }),
      8,
    );
    assert.equal(answers.filter((a) => a.status === 201).length, SESSIONS_PER_PERSONA);
    const refused = answers.filter((a) => a.status !== 201);
    assert.equal(refused.length, 1);
    assert.equal(refused[0]?.status, 429);
    assert.equal(refused[0]?.error?.code, 'rate_limited');
    assert.match(refused[0]?.error?.message ?? '', /persona 'security-rate-persona' is busy/);
    const other = await requestSession(stack, ORIGINS.id, { address: '198.51.100.254' });
    assert.equal(other.status, 201, 'the limit is per persona');
  });
});
