import { llm } from '@livekit/agents';
import {
  HANDOFF_TOOL,
  HandoffArgsSchema,
  type HandoffTarget,
  type Persona,
} from '@parley/contracts';
import type { PersonaTool } from '../tools/index.js';
import type { PersonaAgent } from './persona-agent.js';

export interface HandoffDeps {
  /** The persona handing off; only its `handoffs` are reachable. */
  persona: Pick<Persona, 'handoffs'>;
  /** Builds the agent for a target, carrying the conversation so far. */
  takeOver(target: HandoffTarget, chatCtx: llm.ChatContext): Promise<PersonaAgent>;
}

/**
 * The `handoff` tool: hands the caller to another persona (e.g. reception → sales) with the
 * conversation so far. Only the personas this one lists in `handoffs` can be named, so neither a
 * model nor text injected into the conversation can send the caller anywhere else.
 */
export function handoffTool({ persona, takeOver }: HandoffDeps): PersonaTool[] {
  if (persona.handoffs.length === 0) return [];
  const choices = persona.handoffs.map((h) => `"${h.personaId}": ${h.when}`).join('; ');
  return [
    llm.tool({
      name: HANDOFF_TOOL,
      description: `Hand the caller over to another assistant. Choices: ${choices}.`,
      parameters: HandoffArgsSchema,
      execute: async ({ personaId }, { ctx }) => {
        const target = persona.handoffs.find((h) => h.personaId === personaId);
        if (!target) {
          const allowed = persona.handoffs.map((h) => h.personaId).join(', ');
          throw new llm.ToolError(`cannot hand off to "${personaId}"; allowed: ${allowed}`);
        }
        const chatCtx = ctx.session.chatCtx.copy({
          excludeInstructions: true,
          excludeFunctionCall: true,
          excludeHandoff: true,
        });
        const agent = await takeOver(target, chatCtx);
        return llm.handoff({ agent, returns: `handed over to ${agent.persona.name}` });
      },
    }),
  ];
}
