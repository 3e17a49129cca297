import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CLOSED,
  handoffStep,
  normalizeNumber,
  requestPhoneLeg,
  type HandoffEvent,
  type PhoneHandoff,
} from './phone-handoff.js';
import { SessionError } from './session-error.js';

function run(events: HandoffEvent[], from: PhoneHandoff = CLOSED): PhoneHandoff {
  return events.reduce(handoffStep, from);
}

describe('continue on my phone: steps', () => {
  it('when the visitor opens the form, types a number and confirms, then it dials that number, normalised', () => {
    const steps: string[] = [];
    let handoff = CLOSED;
    for (const event of [
      { type: 'open' },
      { type: 'submit', number: ' +1 (415) 555-0123 ' },
      { type: 'dial' },
    ] satisfies HandoffEvent[]) {
      handoff = handoffStep(handoff, event);
      steps.push(handoff.step);
    }
    assert.deepEqual(steps, ['form', 'confirm', 'dialing']);
    assert.deepEqual(handoff, { step: 'dialing', number: '+14155550123' });
  });

  it('when the number is not in international format, then the form stays with invalid_number', () => {
    for (const typed of ['4155550123', '+0123456789', '+1 415', '+1415555012345678', 'call me']) {
      assert.deepEqual(
        run([{ type: 'open' }, { type: 'submit', number: typed }]),
        { step: 'form', number: typed, problem: { code: 'invalid_number', message: '' } },
        typed,
      );
    }
  });

  it('when the server refuses the number, then the form comes back with its reason and the number', () => {
    const problem = { code: 'do_not_call', message: 'on the list' };
    assert.deepEqual(
      run([
        { type: 'open' },
        { type: 'submit', number: '+33612345678' },
        { type: 'dial' },
        { type: 'refused', problem },
      ]),
      { step: 'form', number: '+33612345678', problem },
    );
  });

  it('when the visitor goes back from the confirmation, then the form shows the number again', () => {
    assert.deepEqual(
      run([{ type: 'open' }, { type: 'submit', number: '+33612345678' }, { type: 'back' }]),
      { step: 'form', number: '+33612345678' },
    );
  });

  it('when cancelled, then it closes, except while dialling (the phone already rings)', () => {
    assert.equal(run([{ type: 'open' }, { type: 'cancel' }]), CLOSED);
    const dialing = run([
      { type: 'open' },
      { type: 'submit', number: '+33612345678' },
      { type: 'dial' },
    ]);
    assert.equal(handoffStep(dialing, { type: 'cancel' }), dialing);
  });

  it('events that do not apply leave the step as it is', () => {
    assert.equal(handoffStep(CLOSED, { type: 'dial' }), CLOSED);
    assert.equal(handoffStep(CLOSED, { type: 'submit', number: '+33612345678' }), CLOSED);
    const form = run([{ type: 'open' }]);
    assert.equal(handoffStep(form, { type: 'open' }), form);
    assert.equal(handoffStep(form, { type: 'dial' }), form);
    assert.equal(handoffStep(form, { type: 'refused', problem: { code: 'x', message: '' } }), form);
  });

  it('normalises layout characters away and keeps everything else', () => {
    assert.equal(normalizeNumber('+44 20.7946-0958'), '+442079460958');
    assert.equal(normalizeNumber('+1 415 CALL'), '+1415CALL');
  });
});

describe('continue on my phone: the request', () => {
  it('posts { to } to /v1/sessions/phone with the visitor token as Bearer', async () => {
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    const answer = await requestPhoneLeg('+33612345678', {
      server: 'https://parley.example/',
      token: 'visitor-token',
      fetch: async (url, init) => {
        seen.push({ url: String(url), init });
        return new Response(JSON.stringify({ status: 'dialing', identity: 'phone-1' }), {
          status: 202,
        });
      },
    });
    assert.deepEqual(answer, { status: 'dialing', identity: 'phone-1' });
    assert.equal(seen[0]?.url, 'https://parley.example/v1/sessions/phone');
    assert.equal(seen[0]?.init?.method, 'POST');
    assert.deepEqual(seen[0]?.init?.headers, {
      'content-type': 'application/json',
      authorization: 'Bearer visitor-token',
    });
    assert.equal(seen[0]?.init?.body, JSON.stringify({ to: '+33612345678' }));
  });

  it('rejects with the server’s code when it refuses the number', async () => {
    await assert.rejects(
      requestPhoneLeg('+33612345678', {
        token: 't',
        fetch: async () =>
          new Response(
            JSON.stringify({ error: { code: 'destination_not_allowed', message: 'no +33' } }),
            { status: 403 },
          ),
      }),
      (error: unknown) =>
        error instanceof SessionError &&
        error.code === 'destination_not_allowed' &&
        error.message === 'no +33',
    );
  });
});
