import { llm } from '@livekit/agents';
import { LookupKnowledgeArgsSchema, type Persona } from '@parley/contracts';
import { KnowledgeMatcher } from '../knowledge/knowledge-matcher.js';
import { modelArguments } from './model-arguments.js';

export const NO_KNOWLEDGE_MATCH = 'No entry matches that question.';

/** Looks a question up in the persona's knowledge (the scripted responder's matcher). */
export function lookupKnowledgeTool(persona: Pick<Persona, 'knowledge'>) {
  const matcher = new KnowledgeMatcher(persona.knowledge);
  const lookupArgs = modelArguments('lookup_knowledge', LookupKnowledgeArgsSchema);
  return llm.tool({
    name: 'lookup_knowledge',
    description:
      "Looks a question up in the business's knowledge base and answers the best entry. Use it " +
      'before answering questions about the business.',
    parameters: lookupArgs.parameters,
    execute: async (sent) => {
      const { query } = lookupArgs.parse(sent);
      return matcher.match(query)?.entry.answer ?? NO_KNOWLEDGE_MATCH;
    },
  });
}
