import type { Persona } from '@parley/contracts';

/** Marks the knowledge block of the system prompt; `Q:`/`A:` lines follow it. */
export const KNOWLEDGE_HEADING = 'Answer from these facts when they are relevant:';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * The system prompt for a language model: the persona's own instructions, its knowledge as
 * `Q:`/`A:` pairs, the line to say when it does not know, and how to speak on a call.
 */
export function personaInstructions(
  persona: Pick<Persona, 'name' | 'instructions' | 'knowledge' | 'fallback' | 'language'>,
): string {
  const parts = [persona.instructions.trim() || `You are ${persona.name}.`];
  if (persona.knowledge.length > 0) {
    const facts = persona.knowledge.map(
      (k) => `Q: ${oneLine(k.question)}\nA: ${oneLine(k.answer)}`,
    );
    parts.push([KNOWLEDGE_HEADING, ...facts].join('\n'));
  }
  if (persona.fallback) {
    parts.push(`When the facts do not answer the caller, say: "${oneLine(persona.fallback)}"`);
  }
  parts.push(
    `You are speaking on a voice call in ${persona.language}: keep replies short and plain, ` +
      'without lists, markup or emoji.',
  );
  return parts.join('\n\n');
}

/** The knowledge pairs found in a system prompt built by {@link personaInstructions}. */
export function knowledgeFromInstructions(prompt: string): { question: string; answer: string }[] {
  const pairs: { question: string; answer: string }[] = [];
  const lines = prompt.split('\n');
  lines.forEach((line, i) => {
    const answer = lines[i + 1];
    if (line.startsWith('Q: ') && answer?.startsWith('A: ')) {
      pairs.push({ question: line.slice(3), answer: answer.slice(3) });
    }
  });
  return pairs;
}
