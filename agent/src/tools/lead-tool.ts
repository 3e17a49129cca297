import { llm } from '@livekit/agents';
import { CaptureLeadArgsSchema, scoreLead } from '@parley/contracts';
import { throwForModel, type ToolApi } from './tool-api.js';
import type { ToolDeps } from './tool-deps.js';
import { modelArguments } from './model-arguments.js';

/**
 * Saves the caller as a lead, scored against the persona's qualification criteria (BANT), and
 * notes its temperature for the call record.
 */
export function captureLeadTool(deps: Pick<ToolDeps, 'persona' | 'controls'>, api: ToolApi) {
  const leadArgs = modelArguments('capture_lead', CaptureLeadArgsSchema);
  return llm.tool({
    name: 'capture_lead',
    description:
      "Saves the caller's contact details and needs as a sales lead. Use it once you have their " +
      'name and a way to reach them, with whatever they said about need, budget, authority ' +
      'and timeline.',
    parameters: leadArgs.parameters,
    execute: async (sent, { abortSignal }) => {
      const args = leadArgs.parse(sent);
      const score = scoreLead(args, deps.persona.leadQualification);
      try {
        await api.saveLead(args, score, abortSignal);
      } catch (error) {
        throwForModel(error, 'The lead store');
      }
      deps.controls.noteLead(score.temperature);
      return { stored: true, temperature: score.temperature };
    },
  });
}
