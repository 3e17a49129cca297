import { PersonaSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callerMemory } from '../conversation/caller-memory.js';
import { briefing } from './warm-transfer.js';

const persona = PersonaSchema.parse({
  id: 'desk',
  name: 'Ava',
  greeting: 'Hi',
  instructions: '',
  escalation: { transferTarget: '+14155550123', mode: 'warm' },
});

test('the briefing tells the human who is calling, from which number, why, and their last words', () => {
  const text = briefing(
    {
      persona,
      call: { roomName: 'r', channel: 'phone', caller: { phoneNumber: '+15550100', name: 'Dana' } },
    },
    'The caller asked for a person: "I want a refund"',
    ['Hello', 'My order 42 arrived broken', 'I want a refund!'],
  );
  assert.match(text, /this is Ava, the virtual assistant/);
  assert.match(text, /I have Dana, calling from \+ 1 5 5 5 0 1 0 0 on the line\./);
  assert.match(text, /Reason: The caller asked for a person: "I want a refund"\./);
  assert.match(text, /They said: Hello\. My order 42 arrived broken\. I want a refund\./);
});

test('a caller without a name is a caller, with their number', () => {
  const text = briefing(
    { persona, call: { roomName: 'r', channel: 'phone', caller: { phoneNumber: '+1555' } } },
    'help',
    [],
  );
  assert.match(text, /I have a caller, calling from \+ 1 5 5 5 on the line\./);
});

test('a web visitor without a name is introduced as a website visitor', () => {
  const text = briefing(
    { persona, call: { roomName: 'r', channel: 'web', caller: {} } },
    'help',
    [],
  );
  assert.match(text, /I have a visitor on the website on the line\. Reason: help\./);
  assert.doesNotMatch(text, /They said/);
});

test('a returning caller is remembered in the instructions; a first-time caller is not', () => {
  assert.equal(callerMemory(undefined), undefined);
  assert.equal(callerMemory({ previousCalls: 0 }), undefined);
  const memory = callerMemory({
    previousCalls: 2,
    lastCallAt: '2026-11-30T10:00:00.000Z',
    lastSummary: '1 caller turn.\n Caller said: "where is my order".',
  });
  assert.match(memory ?? '', /talked with you 2 times before\. The last time was 2026-11-30\./);
  assert.match(
    memory ?? '',
    /Summary of that call: 1 caller turn\. Caller said: "where is my order"\./,
  );
});
