import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarizeCall } from './call-summary.js';

test('a call summary quotes the caller and lists the tools that ran', () => {
  assert.equal(
    summarizeCall([
      { agentText: 'Hello!' },
      { userText: 'Do you ship   abroad?', agentText: 'Yes.' },
      {
        userText: 'Yes I am.',
        toolCalls: [
          { name: 'capture_lead', args: {} },
          { name: 'crm', args: {}, error: 'timeout' },
        ],
        interrupted: true,
      },
    ]),
    '2 caller turns. Caller said: "Do you ship abroad?"; "Yes I am.". Tools: capture_lead, crm (failed). The caller interrupted the agent.',
  );
});

test('long and many quotes are cut; a silent call has no summary', () => {
  const long = 'word '.repeat(40);
  const summary = summarizeCall(
    Array.from({ length: 5 }, (_, i) => ({ userText: i === 0 ? long : `turn ${i}` })),
  );
  assert.match(
    summary ?? '',
    /^5 caller turns\. Caller said: "(word ){15}word…"; "turn 1"; "turn 2"; …\.$/,
  );
  assert.equal(summarizeCall([{ agentText: 'Hello?' }]), undefined);
});
