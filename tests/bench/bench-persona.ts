import type { PersonaInput } from '@parley/contracts';

/** What the benchmark's caller asks, in turn; each has a short knowledge answer. */
export const BENCH_QUESTIONS = [
  'What are your opening hours?',
  'Do you offer free shipping?',
  'Where are you located?',
] as const;

/** The bench persona's answer to each of {@link BENCH_QUESTIONS}, in its knowledge. */
export const BENCH_ANSWERS: Record<(typeof BENCH_QUESTIONS)[number], string> = {
  'What are your opening hours?': 'We are open nine to five, Monday to Friday.',
  'Do you offer free shipping?': 'Yes, on orders over fifty dollars.',
  'Where are you located?': 'On Main Street, next to the library.',
};

/**
 * Turn-taking of the benchmark persona unless `--turn-taking` says otherwise: the shipped
 * defaults, so the headline figures are what a newcomer gets. (It used to lower the end-of-turn
 * threshold to 0.1, because Flite's flat questions read as unfinished to the model; the offline
 * transcript now moves the threshold for every persona, see agent/src/turn.) A tuned run passes
 * `--turn-taking`, and docs/performance.md labels its figures as tuned.
 */
export const BENCH_TURN_TAKING: PersonaInput['turnTaking'] = {};

/**
 * The benchmark persona: the given engines, short answers so a turn fits its slot in the
 * microphone WAV, and the given turn-taking.
 */
export function benchPersona(
  id: string,
  providers: PersonaInput['providers'],
  turnTaking: PersonaInput['turnTaking'] = BENCH_TURN_TAKING,
): PersonaInput {
  return {
    id,
    name: 'Bench',
    greeting: 'Hi! How can I help?',
    instructions: 'Answer briefly, only from the knowledge you were given.',
    knowledge: BENCH_QUESTIONS.map((question) => ({ question, answer: BENCH_ANSWERS[question] })),
    language: 'en-US',
    voice: 'default',
    providers,
    turnTaking,
    allowedOrigins: [],
  };
}
