/**
 * A handoff in a real AgentSession (text only): reception's scripted responder hears a handoff
 * phrase, calls `handoff`, and sales — with its own responder, knowledge and greeting — takes the
 * call over with the conversation so far.
 */
import { initializeLogger, llm, voice } from '@livekit/agents';
import { type Persona, PersonaSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ScriptedResponder } from '../scripted/scripted-llm.js';
import { handoffTool } from './handoff.js';
import { PersonaAgent } from './persona-agent.js';

const reception: Persona = PersonaSchema.parse({
  id: 'reception',
  name: 'Reception',
  greeting: 'Hello, this is reception.',
  instructions: '',
  knowledge: [{ question: 'Where are you located?', answer: 'On Main Street.' }],
  handoffs: [{ personaId: 'sales', when: 'the caller wants to buy', phrases: ['buy in bulk'] }],
});
const sales: Persona = PersonaSchema.parse({
  id: 'sales',
  name: 'Sales',
  greeting: 'Hi, sales here. What would you like to order?',
  instructions: '',
  knowledge: [
    { question: 'Do you give volume discounts?', answer: 'Ten percent from fifty units.' },
  ],
});

let session: voice.AgentSession;
const handedContexts: llm.ChatContext[] = [];

function agentFor(persona: Persona, extra: { greetOnEnter?: boolean } = {}): PersonaAgent {
  return new PersonaAgent({
    persona,
    values: {},
    llm: new ScriptedResponder(persona),
    tools: handoffTool({
      persona,
      takeOver: async (target, chatCtx) => {
        handedContexts.push(chatCtx);
        assert.equal(target.personaId, 'sales');
        return agentFor(sales, { greetOnEnter: true });
      },
    }),
    ...extra,
  });
}

async function turn(userInput: string): Promise<voice.testing.RunResult> {
  const run = session.run({ userInput });
  await run.wait();
  return run;
}

before(async () => {
  initializeLogger({ pretty: false, level: 'warn' });
  session = new voice.AgentSession({ llm: new ScriptedResponder(reception) });
  await session.start({ agent: agentFor(reception) });
});

after(async () => {
  await session.close();
});

test('a handoff phrase moves the caller to the named persona, with the conversation so far', async () => {
  const located = await turn('Where are you located?');
  located.expect.nextEvent().isMessage({ role: 'assistant' });

  const handoff = await turn('I want to buy in bulk.');
  handoff.expect.nextEvent().isFunctionCall({ name: 'handoff', args: { personaId: 'sales' } });
  handoff.expect.nextEvent().isFunctionCallOutput();
  handoff.expect.nextEvent().isAgentHandoff({ newAgentType: PersonaAgent });
  assert.equal((session.currentAgent as PersonaAgent).persona.id, 'sales');

  const [carried] = handedContexts;
  assert.ok(carried, 'sales got a chat context');
  const texts = carried.items.flatMap((i) => (i.type === 'message' ? [i.textContent] : []));
  assert.ok(texts.includes('Where are you located?'), `carried: ${JSON.stringify(texts)}`);
  assert.ok(texts.includes('On Main Street.'));

  // Sales answers from its own knowledge now.
  const discount = await turn('Do you give volume discounts?');
  const reply = discount.expect.nextEvent().isMessage({ role: 'assistant' }).event().item;
  assert.equal(reply.textContent, 'Ten percent from fifty units.');
});

test('the handoff tool refuses a persona the current one does not list', async () => {
  const [tool] = handoffTool({
    persona: reception,
    takeOver: () => Promise.reject(new Error('must not be called')),
  });
  assert.ok(tool);
  await assert.rejects(
    tool.execute({ personaId: 'billing' }, {
      ctx: { session } as never,
      toolCallId: 'x',
      abortSignal: new AbortController().signal,
    } as never),
    (err) => err instanceof llm.ToolError && /allowed: sales/.test(err.message),
  );
});
