/**
 * The scripted responder driving a real LiveKit AgentSession (text only, no room) with the
 * default persona: each caller turn goes through `session.run`, tools run through the session's
 * own tool execution, and the run's events are checked in order.
 */
import { initializeLogger, llm } from '@livekit/agents';
import {
  BookAppointmentArgsSchema,
  type CaptureLeadArgs,
  CaptureLeadArgsSchema,
  type Persona,
  PersonaSchema,
} from '@parley/contracts';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
// The persona a fresh install ships with; the server does not export it.
import { DEFAULT_PERSONA } from '@parley/server';
import type { RecordingToolsOptions } from '../../test/recording-tools.js';
import {
  closeScriptedCalls,
  nextCallArgs,
  nextReply,
  onlyReply,
  type ScriptedCall,
  startScriptedCall,
} from '../../test/scripted-call.js';

/** Friday, March 7 2025, 10:00 in New York, where the default persona's business hours are. */
const NOW = Date.parse('2025-03-07T15:00:00Z');

const persona: Persona = PersonaSchema.parse(DEFAULT_PERSONA);

type Call = ScriptedCall;

const startCall = (opts: Partial<RecordingToolsOptions> = {}) =>
  startScriptedCall(persona, NOW, opts);

/** Answers the lead form's questions after the contact, and returns what `capture_lead` got. */
async function finishLead(call: Call, need: string): Promise<CaptureLeadArgs> {
  await call.say(need);
  await call.say('about five thousand dollars');
  await call.say('next month');
  const run = await call.say('yes I am');
  nextReply(run);
  return CaptureLeadArgsSchema.parse(nextCallArgs(run, 'capture_lead'));
}

describe('scripted responder in an AgentSession (default persona)', () => {
  before(() => initializeLogger({ pretty: false, level: 'warn' }));
  after(closeScriptedCalls);

  test('when the caller asks a known question, then the knowledge answer is said', async () => {
    const call = await startCall();
    assert.equal(
      await onlyReply(call, 'Do you offer free shipping?'),
      'Yes, shipping is free on every order over fifty dollars.',
    );
    assert.deepEqual(call.calls, []);
  });

  test('when nothing matches, then the honest fallback is said', async () => {
    const call = await startCall();
    assert.equal(await onlyReply(call, 'Tell me a joke about penguins'), persona.fallback);
  });

  test('when the caller asks if it is a machine, then the disclosure line is said', async () => {
    const call = await startCall();
    assert.equal(await onlyReply(call, 'Am I talking to a robot?'), persona.disclosure.line);
  });

  test('when the caller is interested, then every lead slot is asked and capture_lead gets them all', async () => {
    const call = await startCall();
    assert.match(await onlyReply(call, "I'm interested in getting a quote"), /your name/);
    assert.match(await onlyReply(call, 'my name is john smith'), /^Thanks, John Smith\..*email/);
    assert.equal(
      await onlyReply(call, 'john at example dot com'),
      'I have john at example dot com. Is that right?',
    );
    assert.match(await onlyReply(call, "yes that's right"), /what do you need/i);
    assert.match(await onlyReply(call, 'a new website for my bakery'), /budget/);
    assert.match(await onlyReply(call, 'about five thousand dollars'), /get started/);
    assert.match(await onlyReply(call, 'next month'), /make.* the decision/);

    const run = await call.say("yes, I'm the owner");
    assert.match(nextReply(run), /note that down/);
    const args = nextCallArgs(run, 'capture_lead');
    assert.deepEqual(args, {
      name: 'John Smith',
      email: 'john@example.com',
      need: 'a new website for my bakery',
      budget: 5000,
      timelineDays: 30,
      isDecisionMaker: true,
    });
    CaptureLeadArgsSchema.parse(args);
    run.expect.nextEvent().isFunctionCallOutput({ isError: false });
    assert.equal(
      nextReply(run),
      'Thank you, John Smith! Someone from our team will be in touch soon.',
    );
    run.expect.noMoreEvents();
    assert.deepEqual(call.calls, [{ name: 'capture_lead', args }]);
  });

  test('when a lead answer does not parse, then it is asked once more, then skipped', async () => {
    const call = await startCall();
    await call.say('can someone contact me about pricing for my business');
    await call.say('Ana');
    assert.match(await onlyReply(call, 'five five five one two three four'), /5 5 5, 1 2 3, 4\./);
    await call.say('yes');
    await call.say('a booking system');
    assert.match(await onlyReply(call, 'hard to say'), /^Sorry, I didn't catch an amount/);
    assert.match(await onlyReply(call, 'I really do not know'), /^No problem, let me move on\./);
    await call.say('in two weeks');
    const run = await call.say('no, my partner decides');
    nextReply(run);
    assert.deepEqual(nextCallArgs(run, 'capture_lead'), {
      name: 'Ana',
      phone: '5551234',
      need: 'a booking system',
      timelineDays: 14,
      isDecisionMaker: false,
    });
  });

  test('when the caller corrects the read-back number, then the corrected one is read back and kept', async () => {
    const call = await startCall();
    await call.say("I'm interested");
    await call.say('my name is john smith');
    assert.equal(
      await onlyReply(call, 'you can reach me at five five five one two three five five six seven'),
      'I have 5 5 5, 1 2 3, 5 5 6 7. Is that right?',
    );
    assert.equal(
      await onlyReply(call, 'no it is five five five one two three four five six seven'),
      'I have 5 5 5, 1 2 3, 4 5 6 7. Is that right?',
    );
    assert.match(await onlyReply(call, 'yes'), /^Got it\. What do you need help with\?$/);
    assert.equal((await finishLead(call, 'a new website')).phone, '5551234567');
  });

  test('when the caller says no to the read-back, then the number is asked again; after two noes the form moves on without it', async () => {
    const call = await startCall();
    await call.say("I'm interested");
    await call.say('my name is ana');
    await call.say('five five five one two three four');
    assert.match(await onlyReply(call, "no that's wrong"), /say the number again, digit by digit/);
    assert.match(
      await onlyReply(call, 'five five five one two three five'),
      /^I have 5 5 5, 1 2 3, 5\./,
    );
    assert.equal(
      await onlyReply(call, 'no'),
      'No problem, let me move on. What do you need help with?',
    );
    const args = await finishLead(call, 'a booking system');
    assert.equal(args.phone, undefined);
    assert.equal(args.email, undefined);
  });

  test('when the answer to the read-back is neither yes nor no, then it is asked once more, then kept', async () => {
    const call = await startCall();
    await call.say("I'm interested");
    await call.say('my name is ana');
    await call.say('my email is ana at example dot com');
    assert.equal(
      await onlyReply(call, 'hmm'),
      'Sorry, is that a yes or a no: ana at example dot com?',
    );
    assert.match(await onlyReply(call, 'hmm'), /^Got it\. What do you need help with\?$/);
    assert.equal((await finishLead(call, 'a booking system')).email, 'ana@example.com');
  });

  test('when the caller says never mind mid-form, then the form is dropped and nothing is saved', async () => {
    const call = await startCall();
    await call.say("I'm interested");
    assert.match(await onlyReply(call, 'actually never mind'), /cancelled/);
    assert.equal(
      await onlyReply(call, 'where are you located'),
      'Our shop is on Main Street, right next to the central library.',
    );
    assert.deepEqual(call.calls, []);
  });

  test('when the caller asks a question mid-form, then it is answered and the form question repeated', async () => {
    const call = await startCall();
    await call.say('I would like a quote');
    const reply = await onlyReply(call, 'what are your opening hours?');
    assert.match(reply, /^We are open Monday to Friday.*May I have your name, please\?$/);
  });

  test('when the caller books a time inside business hours, then book_appointment gets it and the booking is read back', async () => {
    const call = await startCall();
    assert.match(await onlyReply(call, "I'd like to book an appointment"), /What day and time/);
    assert.equal(
      await onlyReply(call, 'monday at ten thirty'),
      'Monday, March 10 at 10:30 AM is free. What name should I put the appointment under?',
    );
    const run = await call.say('Jane Doe');
    assert.equal(nextReply(run), 'Let me book Monday, March 10 at 10:30 AM for you, Jane Doe.');
    const args = nextCallArgs(run, 'book_appointment');
    // March 10 is after the switch to daylight saving time: UTC-4.
    assert.deepEqual(args, { startsAt: '2025-03-10T10:30:00-04:00', name: 'Jane Doe' });
    BookAppointmentArgsSchema.parse(args);
    run.expect.nextEvent().isFunctionCallOutput({ isError: false });
    assert.equal(
      nextReply(run),
      "You're all set, Jane Doe. Your appointment is on Monday, March 10 at 10:30 AM.",
    );
    run.expect.noMoreEvents();
  });

  test('when the asked time is outside business hours, then the next open slots are proposed and one can be picked', async () => {
    const call = await startCall();
    assert.equal(
      await onlyReply(call, 'can I book an appointment for saturday at 10 am'),
      "Sorry, we're not open then. The next open times are Monday, March 10 at 9 AM, 9:30 AM " +
        'or 10 AM. Which would suit you?',
    );
    assert.equal(call.calls.length, 0);
    await call.say('the second one');
    const run = await call.say('my name is Sam');
    nextReply(run);
    assert.deepEqual(nextCallArgs(run, 'book_appointment'), {
      startsAt: '2025-03-10T09:30:00-04:00',
      name: 'Sam',
    });
  });

  test('when the server refuses a taken slot, then its alternatives are offered and the taken one is never asked again', async () => {
    const taken = '2025-03-10T10:00:00-04:00';
    const call = await startCall({
      book: ({ startsAt }) => {
        if (startsAt === taken) {
          throw new llm.ToolError(
            `${taken} is already taken; next free slots: Monday 2025-03-10 11:00 ` +
              '(2025-03-10T11:00:00-04:00); Monday 2025-03-10 11:30 (2025-03-10T11:30:00-04:00)',
          );
        }
        return 'Booked.';
      },
    });
    await call.say('my name is Lee');
    await call.say('schedule a visit');
    const refused = await call.say('monday at 10 am');
    nextReply(refused);
    assert.deepEqual(nextCallArgs(refused, 'book_appointment'), { startsAt: taken, name: 'Lee' });
    refused.expect.nextEvent().isFunctionCallOutput({ isError: true });
    assert.equal(
      nextReply(refused),
      'Sorry, that time has just been taken. I can offer Monday, March 10 at 11 AM or 11:30 AM. ' +
        'Which would suit you?',
    );
    assert.match(await onlyReply(call, 'monday at 10 am'), /^That time is already taken\./);

    const booked = await call.say('eleven thirty');
    nextReply(booked);
    assert.deepEqual(nextCallArgs(booked, 'book_appointment'), {
      startsAt: '2025-03-10T11:30:00-04:00',
      name: 'Lee',
    });
    assert.deepEqual(
      call.calls.map((c) => (c.args as { startsAt: string }).startsAt),
      [taken, '2025-03-10T11:30:00-04:00'],
    );
  });

  test('when the caller asks for a person, then transfer_to_human is called with the reason', async () => {
    const call = await startCall();
    const run = await call.say('I want to speak to a human');
    assert.deepEqual(nextCallArgs(run, 'transfer_to_human'), {
      reason: 'The caller asked for a person: "I want to speak to a human"',
    });
    run.expect.nextEvent().isFunctionCallOutput({ isError: false });
    // The transfer tool speaks for itself: no reply follows it.
    run.expect.noMoreEvents();
  });

  test('when the caller asks not to be called again, even mid-form, then opt_out is called and nothing follows it', async () => {
    const call = await startCall();
    await call.say('I would like to book an appointment');
    const run = await call.say('actually please dont call me again');
    assert.deepEqual(nextCallArgs(run, 'opt_out'), {});
    run.expect.nextEvent().isFunctionCallOutput({ isError: false });
    // The opt-out tool says the persona's line itself and ends the call: no reply follows it.
    run.expect.noMoreEvents();
    assert.deepEqual(
      call.calls.map((c) => c.name),
      ['opt_out'],
    );
  });

  test('when the caller says goodbye, then end_call is called and the goodbye is the reply', async () => {
    const call = await startCall();
    await call.say('hi, my name is Ana');
    const run = await call.say("that's all, bye");
    assert.deepEqual(nextCallArgs(run, 'end_call'), { reason: 'The caller said goodbye.' });
    run.expect.nextEvent().isFunctionCallOutput({ isError: false });
    assert.equal(nextReply(run), 'Thank you for calling, Ana. Goodbye!');
    run.expect.noMoreEvents();
  });
});
