/**
 * Keypad input in a real AgentSession (text only): the scripted responder answers a menu key's
 * intent and a digit string like speech, and the turns carry the keys for the call record.
 */
import { initializeLogger, llm, voice } from '@livekit/agents';
import { RoomEvent } from '@livekit/rtc-node';
import { type Persona, PersonaSchema, type TurnInput } from '@parley/contracts';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { after, before, test } from 'node:test';
import { TurnBuilder } from '../recording/turn-builder.js';
import { PersonaAgent } from '../conversation/persona-agent.js';
import { ScriptedResponder } from '../scripted/scripted-llm.js';
import { type DtmfRoom, listenToKeypad } from './dtmf-input.js';

const persona: Persona = PersonaSchema.parse({
  id: 'desk',
  name: 'Desk',
  greeting: 'Hello, this is the desk.',
  instructions: '',
  fallback: 'Sorry, I do not know that one.',
  knowledge: [
    { question: 'What are your opening hours?', answer: 'Nine to five, Monday to Friday.' },
  ],
  phone: {
    dtmfMenu: [{ digit: '1', intent: 'What are your opening hours?' }],
    digitTimeoutMs: 10_000,
  },
});

const CALLER = 'sip_+15550100';
const room = new EventEmitter() as EventEmitter & DtmfRoom;
const press = (digit: string, identity = CALLER) =>
  room.emit(RoomEvent.DtmfReceived, 0, digit, { identity });

let session: voice.AgentSession;
let stop: () => void;
const turns: TurnInput[] = [];

/** The next turn the session completes (the agent's reply to what the keys said). */
async function nextTurn(): Promise<TurnInput> {
  const before = turns.length;
  while (turns.length === before) {
    await once(session, voice.AgentSessionEventTypes.ConversationItemAdded);
  }
  return turns.at(-1) as TurnInput;
}

before(async () => {
  initializeLogger({ pretty: false, level: 'warn' });
  session = new voice.AgentSession({ llm: new ScriptedResponder(persona) });
  const builder = new TurnBuilder();
  session.on(voice.AgentSessionEventTypes.ConversationItemAdded, (ev) => {
    const turn = builder.onConversationItem(ev);
    if (turn) turns.push(turn);
  });
  await session.start({
    agent: new PersonaAgent({ persona, values: {}, tools: new llm.ToolContext({}) }),
  });
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  stop = listenToKeypad(room, {
    persona,
    session,
    callerIdentity: () => CALLER,
    logger: silent,
  });
});

after(async () => {
  stop();
  await session.close();
});

test('when the caller presses a menu key, the agent answers its intent and the turn keeps the key', async () => {
  const turn = nextTurn();
  press('1');
  const { userText, agentText, dtmf } = await turn;
  assert.equal(userText, 'What are your opening hours?');
  assert.equal(agentText, 'Nine to five, Monday to Friday.');
  assert.equal(dtmf, '1');
});

test('when the caller types digits and #, the agent hears the number and the turn keeps the keys', async () => {
  const turn = nextTurn();
  for (const digit of ['4', '1', '0', '7', '#']) press(digit);
  const { userText, agentText, dtmf } = await turn;
  assert.equal(userText, 'My number is 4107.');
  assert.equal(agentText, 'Sorry, I do not know that one.');
  assert.equal(dtmf, '4107#');
});

test('keys from another participant of the room are not the caller speaking', async () => {
  const count = turns.length;
  for (const digit of ['1', '2', '#']) press(digit, 'sip_+15550199');
  press('1');
  await nextTurn();
  assert.equal(turns.length, count + 1, 'one turn: the caller pressing 1');
  assert.equal(turns.at(-1)?.dtmf, '1');
});
