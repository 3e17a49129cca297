import type { Persona } from '@parley/contracts';

/** A question whose answer is long enough to talk over. */
export const STORY = 'Tell me the story of your company.';

/** The answer to {@link STORY}: six sentences, about 20 s in Flite's voice. */
export const STORY_ANSWER =
  'Our company started in a small garage twenty years ago. ' +
  'We sold handmade lamps to our neighbours and friends. ' +
  'Over the years we added furniture, rugs and kitchen goods. ' +
  'Today we ship to customers in every state of the country. ' +
  'We still make many of our lamps by hand in the same town. ' +
  'And we are proud to employ more than forty people there.';

/** `base` under another id, knowing {@link STORY_ANSWER} as well (barge-in suites and bench). */
export function storyteller(base: Persona, id: string): Persona {
  return { ...base, id, knowledge: [...base.knowledge, { question: STORY, answer: STORY_ANSWER }] };
}
