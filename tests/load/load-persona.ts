import type { Persona } from '@parley/contracts';
import { putPersona } from '../support/calls.js';
import { personaOf, type TestStack } from '../support/stack-env.js';
import type { Question } from './caller.js';
import type { PersonaLines } from './verdict.js';

export const LOAD_PERSONA_ID = 'load';

/**
 * The default persona's knowledge, answered by the cloud plugins (on the canned fakes) or by the
 * offline engines only (no cloud call even if keys are set), without tools, so every question
 * has one deterministic spoken answer. The time limit allows the long call to last the whole run.
 */
export async function prepareLoadPersona(
  stack: TestStack,
  engines: 'cloud' | 'offline',
): Promise<{ questions: Question[]; lines: PersonaLines }> {
  const base = await personaOf(stack);
  const persona: Persona = {
    ...base,
    id: LOAD_PERSONA_ID,
    name: 'Load test',
    providers:
      engines === 'cloud'
        ? { stt: 'deepgram', llm: 'openai', tts: 'cartesia' }
        : { stt: 'offline', llm: 'scripted', tts: 'offline' },
    tools: [],
    maxCallDurationSeconds: 4 * 3600,
  };
  await putPersona(stack, persona);
  // "How do I contact a human?" is left out: it is close to the escalation phrases.
  const questions = persona.knowledge
    .filter((k) => !/\bhuman\b/i.test(k.question))
    .map((k) => ({ text: k.question, answer: k.answer }));
  return { questions, lines: { repromptLine: persona.silence.repromptLine } };
}
