import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ServerError, SipCallError } from 'livekit-server-sdk';
import { dialOutcomeOf } from './sip-outcome.js';

/** A failed dial as the SDK throws it: livekit-sip's SIP status in the Twirp metadata. */
const sipError = (code: number, reason: string, twirp = 'resource_exhausted') =>
  new SipCallError('SipCallError', `sip status ${code}: ${reason}`, 400, twirp, {
    sip_status_code: String(code),
    sip_status: reason,
  });

describe('the outcome of a failed dial', () => {
  test('when the callee answers 486 Busy Here, 600 or 603, then the call is busy', () => {
    for (const code of [486, 600, 603]) {
      const outcome = dialOutcomeOf(sipError(code, 'Busy'));
      assert.equal(outcome.status, 'busy', String(code));
      assert.equal(outcome.sipStatusCode, code);
    }
  });

  test('when the callee answers 408, 480 or 487, then nobody answered', () => {
    for (const code of [408, 480, 487]) {
      assert.equal(dialOutcomeOf(sipError(code, 'Unavailable')).status, 'no_answer', String(code));
    }
  });

  test('when the bridge gives up ringing (no SIP response), then nobody answered', () => {
    const timedOut = new ServerError('ServerError', 'sip request timed out', 499, 'canceled');
    assert.deepEqual(dialOutcomeOf(timedOut), {
      status: 'no_answer',
      reason: 'sip request timed out',
    });
    const requestTimeout = new ServerError(
      'ServerError',
      'request timed out',
      504,
      'deadline_exceeded',
    );
    assert.equal(dialOutcomeOf(requestTimeout).status, 'no_answer');
  });

  test('when the callee refuses otherwise (404, 503), then the dial failed with its SIP code', () => {
    assert.deepEqual(
      { ...dialOutcomeOf(sipError(404, 'Not Found', 'not_found')), reason: undefined },
      { status: 'failed', sipStatusCode: 404, reason: undefined },
    );
    assert.equal(dialOutcomeOf(sipError(503, 'Service Unavailable')).status, 'failed');
  });

  test('when LiveKit itself fails (unreachable, no trunk), then the dial failed', () => {
    assert.equal(dialOutcomeOf(new TypeError('fetch failed')).status, 'failed');
    const noTrunk = new ServerError('ServerError', 'trunk not found', 404, 'not_found');
    assert.equal(dialOutcomeOf(noTrunk).status, 'failed');
    assert.equal(dialOutcomeOf('weird').status, 'failed');
  });
});
