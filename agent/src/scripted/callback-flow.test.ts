/**
 * Call backs through the scripted responder in a real AgentSession (text only) with the default
 * persona, whose business hours are in New York: the time the caller says becomes
 * `schedule_callback`'s argument, and the tool's answer is read back in words.
 */
import { initializeLogger, llm } from '@livekit/agents';
import { type Persona, PersonaSchema, ScheduleCallbackArgsSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_PERSONA } from '@parley/server';
import {
  closeScriptedCalls,
  nextCallArgs,
  nextReply,
  onlyReply,
  startScriptedCall,
} from '../../test/scripted-call.js';

/** Friday, March 7 2025, 10:00 in New York (EST, UTC-5; daylight saving starts on the 9th). */
const NOW = Date.parse('2025-03-07T15:00:00Z');
const persona: Persona = PersonaSchema.parse(DEFAULT_PERSONA);
const ANYTHING_ELSE = 'Is there anything else I can help you with?';

/** What the real tool answers for a call back at `at`. */
const scheduledAt = (at: string, moved = false) => ({
  scheduledFor: new Date(at).toISOString(),
  movedIntoCallingHours: moved,
  message: 'ignored by the scripted responder',
});

describe('call backs, scripted', () => {
  before(() => {
    assert.equal(persona.businessHours?.timeZone, 'America/New_York');
    initializeLogger({ pretty: false, level: 'warn' });
  });
  after(closeScriptedCalls);

  test('when the caller asks to be called back at a time, then schedule_callback gets that time in the business zone and the reply says it', async () => {
    const call = await startScriptedCall(persona, NOW);
    const run = await call.say('can you call me back tomorrow at three');
    const args = ScheduleCallbackArgsSchema.parse(nextCallArgs(run, 'schedule_callback'));
    assert.deepEqual(args, { at: '2025-03-08T15:00:00-05:00' });
    run.expect.nextEvent().isFunctionCallOutput({ isError: false });
    assert.equal(
      nextReply(run),
      `We'll call you back on Saturday, March 8 at 3 PM. ${ANYTHING_ELSE}`,
    );
    run.expect.noMoreEvents();
  });

  test('when the caller gives no time, then they are asked for one, and a part of the day stands for its hour', async () => {
    const call = await startScriptedCall(persona, NOW);
    assert.equal(
      await onlyReply(call, 'could you ring me back'),
      'Sure. When would you like us to call you back?',
    );
    const run = await call.say('monday afternoon');
    assert.deepEqual(nextCallArgs(run, 'schedule_callback'), { at: '2025-03-10T15:00:00-04:00' });
  });

  test('when the server moved the call back into calling hours, then a clock time the caller named is said to have moved; a bare day is not', async () => {
    const cases = [
      [
        'call me later at seven pm',
        '2025-03-07T19:00:00-05:00',
        "That's outside our calling hours, so we'll call you back on Monday, March 10 at 9 AM.",
      ],
      [
        'please call me on monday',
        '2025-03-10T00:00:00-04:00',
        "We'll call you back on Monday, March 10 at 9 AM.",
      ],
    ] as const;
    for (const [request, asked, reply] of cases) {
      const call = await startScriptedCall(persona, NOW, {
        callback: () => scheduledAt('2025-03-10T09:00:00-04:00', true),
      });
      const run = await call.say(request);
      assert.deepEqual(nextCallArgs(run, 'schedule_callback'), { at: asked });
      run.expect.nextEvent().isFunctionCallOutput({ isError: false });
      assert.equal(nextReply(run), `${reply} ${ANYTHING_ELSE}`);
    }
  });

  test('when no call back can be scheduled, then the caller is told so, and asking twice without a time lets it go', async () => {
    const refused = await startScriptedCall(persona, NOW, {
      callback: () => {
        throw new llm.ToolError('There is no phone number to call this caller back on.');
      },
    });
    const run = await refused.say('call me back in an hour');
    nextCallArgs(run, 'schedule_callback');
    run.expect.nextEvent().isFunctionCallOutput({ isError: true });
    assert.equal(
      nextReply(run),
      `I'm sorry, I couldn't schedule a call back just now. ${ANYTHING_ELSE}`,
    );

    const vague = await startScriptedCall(persona, NOW);
    await vague.say('can I get a call back');
    assert.match(await onlyReply(vague, 'whenever suits you'), /^Sorry, I didn't catch when\./);
    assert.match(await onlyReply(vague, 'no idea'), /^Sorry, I still didn't catch a time/);
    assert.deepEqual(vague.calls, []);
  });
});
