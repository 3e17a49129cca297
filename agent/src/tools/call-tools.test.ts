import { llm } from '@livekit/agents';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contactLine, endCallTool, optOutTool, transferToHumanTool } from './call-tools.js';
import { ServerApiError } from '../server-api/server-api-error.js';
import { fakeToolCall, FakeControls, testPersona } from '../../test/fake-call.js';

const MESSAGE = 'Let me get someone from the team for you.';
const CONTACT = 'You can reach our team at +1 415 555 0100, weekdays 9 to 5.';
const knowledge = [
  { question: 'What are your opening hours?', answer: 'We are open 9 to 5.' },
  { question: 'How can I talk to a real person?', answer: CONTACT },
];

function setup(opts: {
  channel: 'web' | 'phone';
  target?: string;
  withKnowledge?: boolean;
  sip?: 'ok' | 'fails' | 'absent';
  mode?: 'cold' | 'warm';
  warm?: 'connected' | 'no_answer';
}) {
  const controls = new FakeControls();
  const persona = testPersona({
    escalation: {
      message: MESSAGE,
      ...(opts.target ? { transferTarget: opts.target } : {}),
      ...(opts.mode ? { mode: opts.mode } : {}),
    },
    knowledge: opts.withKnowledge ? knowledge : [],
  });
  const sipTransfer =
    opts.sip === 'absent'
      ? undefined
      : async (target: string) => {
          controls.log.push(`sip transfer: ${target}`);
          if (opts.sip === 'fails') throw new Error('SIP 486 Busy Here');
        };
  const warm = opts.warm;
  const warmTransfer = warm
    ? async (reason: string) => {
        controls.log.push(`warm transfer: ${reason}`);
        return warm;
      }
    : undefined;
  const tool = transferToHumanTool({
    persona,
    channel: opts.channel,
    controls,
    sipTransfer,
    warmTransfer,
  });
  return { tool, controls };
}

describe('transfer_to_human', () => {
  test('when a phone call has a target, then the message is said, the caller is transferred there and the call ends as transferred', async () => {
    const { tool, controls } = setup({ channel: 'phone', target: '+14155550123', sip: 'ok' });
    const call = fakeToolCall();
    assert.equal(await tool.execute({ reason: 'billing question' }, call.opts), undefined);
    call.finishSpeech();
    assert.deepEqual(controls.log, [
      `say: ${MESSAGE}`,
      // Before the REFER: the caller's phone may leave the room before its answer arrives,
      // and the line is livekit-sip's ringback meanwhile.
      'expect: transferred',
      'silence watch: held',
      'sip transfer: +14155550123',
      'end: transferred (billing question)',
    ]);
  });

  test('when the model passes a target of its own, then it is ignored: the persona target is dialled', async () => {
    const { tool, controls } = setup({
      channel: 'phone',
      target: 'sip:desk@pbx.example',
      sip: 'ok',
    });
    const call = fakeToolCall();
    const injected = { target: '+19005550199', number: '+19005550199' } as Record<string, unknown>;
    await tool.execute(injected, call.opts);
    assert.ok(controls.log.includes('sip transfer: sip:desk@pbx.example'));
    assert.ok(!controls.log.some((line) => line.includes('9005550199')));
    // The model is never offered a way to name the destination.
    assert.equal(JSON.stringify(llm.toJsonSchema(tool.parameters)).includes('target'), false);
  });

  test('when the SIP transfer fails, then the model hears why and the call goes on', async () => {
    const { tool, controls } = setup({ channel: 'phone', target: '+14155550123', sip: 'fails' });
    const call = fakeToolCall();
    await assert.rejects(tool.execute({}, call.opts), (error) => {
      assert.ok(error instanceof llm.ToolError);
      assert.match(error.message, /transfer to a person failed \(SIP 486 Busy Here\)/);
      return true;
    });
    call.finishSpeech();
    // The phone may still have followed a REFER LiveKit reported as failed: until the caller
    // speaks again, leaving or silence counts as transferred.
    assert.deepEqual(controls.log, [
      `say: ${MESSAGE}`,
      'expect: transferred',
      'silence watch: held',
      'sip transfer: +14155550123',
      'silence watch: on',
      'expect: transferred until caller-speaks',
    ]);
  });

  test('when a web call has a target, then the caller hears how to reach the team and the call ends as transferred once that has played', async () => {
    const { tool, controls } = setup({
      channel: 'web',
      target: '+14155550123',
      withKnowledge: true,
    });
    const call = fakeToolCall();
    await tool.execute({}, call.opts);
    assert.deepEqual(controls.log, [`say: ${MESSAGE} ${CONTACT}`]);
    call.finishSpeech();
    assert.deepEqual(controls.log, [
      `say: ${MESSAGE} ${CONTACT}`,
      'end: transferred (the caller asked for a person)',
    ]);
  });

  test('when there is no target and no contact entry, then the message alone is said and the call completes', async () => {
    const { tool, controls } = setup({ channel: 'web' });
    const call = fakeToolCall();
    await tool.execute({}, call.opts);
    call.finishSpeech();
    assert.deepEqual(controls.log, [
      `say: ${MESSAGE}`,
      'end: completed (the caller asked for a person)',
    ]);
  });

  test('when a phone call has a target but the worker cannot transfer, then it ends gracefully as completed', async () => {
    const { tool, controls } = setup({ channel: 'phone', target: '+14155550123', sip: 'absent' });
    const call = fakeToolCall();
    await tool.execute({}, call.opts);
    call.finishSpeech();
    assert.deepEqual(controls.log, [
      `say: ${MESSAGE}`,
      'end: completed (the caller asked for a person)',
    ]);
  });
});

describe('transfer_to_human, warm', () => {
  test('when the persona asks for a warm transfer, then the caller hears the message and the target is rung and briefed, not referred', async () => {
    const { tool, controls } = setup({
      channel: 'phone',
      target: '+14155550123',
      sip: 'ok',
      mode: 'warm',
      warm: 'connected',
    });
    const call = fakeToolCall();
    assert.equal(await tool.execute({ reason: 'billing question' }, call.opts), undefined);
    call.finishSpeech();
    assert.deepEqual(controls.log, [`say: ${MESSAGE}`, 'warm transfer: billing question']);
  });

  test('when a cold transfer is asked for on the phone, then the caller is referred even though a warm one could run', async () => {
    const { tool, controls } = setup({
      channel: 'phone',
      target: '+14155550123',
      sip: 'ok',
      mode: 'cold',
      warm: 'connected',
    });
    const call = fakeToolCall();
    await tool.execute({ reason: 'refund' }, call.opts);
    call.finishSpeech();
    assert.deepEqual(controls.log, [
      `say: ${MESSAGE}`,
      'expect: transferred',
      'silence watch: held',
      'sip transfer: +14155550123',
      'end: transferred (refund)',
    ]);
  });

  test('when a web visitor asks for a person and the target does not answer, then the call goes on', async () => {
    const { tool, controls } = setup({
      channel: 'web',
      target: '+14155550123',
      mode: 'cold',
      warm: 'no_answer',
    });
    const call = fakeToolCall();
    await tool.execute({ reason: 'complaint' }, call.opts);
    call.finishSpeech();
    assert.deepEqual(controls.log, [`say: ${MESSAGE}`, 'warm transfer: complaint']);
  });
});

describe('contactLine', () => {
  test('when the knowledge says how to reach a person, then that answer is the contact line', () => {
    assert.equal(contactLine(knowledge), CONTACT);
    assert.equal(
      contactLine([{ question: 'How do I contact a human?', answer: 'Email help@shop.example.' }]),
      'Email help@shop.example.',
    );
  });

  test('when no entry is about reaching a person, then there is none', () => {
    assert.equal(contactLine([{ question: 'Do you ship abroad?', answer: 'Yes.' }]), undefined);
  });
});

describe('end_call', () => {
  test('when called, then it says nothing itself and ends the call as completed only after the reply has played', async () => {
    const controls = new FakeControls();
    const tool = endCallTool({ controls });
    const call = fakeToolCall();
    const result = await tool.execute({ reason: 'caller said goodbye' }, call.opts);
    assert.match(String(result), /goodbye/);
    assert.deepEqual(controls.log, []);
    call.finishSpeech();
    assert.deepEqual(controls.log, ['end: completed (caller said goodbye)']);
  });
});

describe('opt_out', () => {
  const LINE = "Understood, we won't call you again. Goodbye.";

  function optOut(fails?: ServerApiError) {
    const controls = new FakeControls();
    const api = {
      optOut: async (...args: unknown[]) => {
        const sent = args.filter((a) => !(a instanceof AbortSignal));
        controls.log.push(`server: opt-out${sent.length ? ` ${JSON.stringify(sent)}` : ''}`);
        if (fails) throw fails;
      },
    };
    return { controls, tool: optOutTool({ persona: testPersona(), controls }, api) };
  }

  test('when the caller opts out, then their number is listed first, the line is said, and the call ends as completed once it has played', async () => {
    const { tool, controls } = optOut();
    const call = fakeToolCall();
    assert.equal(await tool.execute({}, call.opts), undefined);
    assert.deepEqual(controls.log, ['server: opt-out', `say: ${LINE}`]);
    call.finishSpeech();
    assert.deepEqual(
      controls.log.at(-1),
      'end: completed (the caller asked not to be called again)',
    );
  });

  test('when the list cannot be written, then nothing is promised, the call goes on, and the model hears why', async () => {
    const down = new ServerApiError('server_unreachable', 'connect ECONNREFUSED');
    const { tool, controls } = optOut(down);
    const call = fakeToolCall();
    await assert.rejects(tool.execute({}, call.opts), (error) => {
      assert.ok(error instanceof llm.ToolError);
      assert.match(error.message, /do-not-call list is not available/);
      return true;
    });
    call.finishSpeech();
    assert.deepEqual(controls.log, ['server: opt-out']);
  });

  test('when the model passes a number, then it is ignored: the server lists the call’s own number', async () => {
    const { tool, controls } = optOut();
    assert.deepEqual(Object.keys(llm.toJsonSchema(tool.parameters).properties ?? {}), []);
    const injected = { e164: '+19005550199', number: '+19005550199' } as Record<string, unknown>;
    await tool.execute(injected, fakeToolCall().opts);
    assert.ok(controls.log.includes('server: opt-out'));
    assert.ok(!controls.log.some((line) => line.includes('9005550199')));
  });
});
