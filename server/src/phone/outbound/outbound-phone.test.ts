import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dialTargetOf, unansweredOutcome } from './outbound-phone.js';

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
