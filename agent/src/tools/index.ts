/**
 * The tools a persona enables, for the call's agent: built-ins named in `persona.tools`, every
 * webhook tool and every client tool, and on phone calls `opt_out`, each saying a filler line
 * when it runs long.
 */
import { llm } from '@livekit/agents';
import { type BuiltinTool, OPT_OUT_TOOL } from '@parley/contracts';
import { bookAppointmentTool } from './appointment-tool.js';
import { scheduleCallbackTool } from './callback-tool.js';
import { endCallTool, optOutTool, transferToHumanTool } from './call-tools.js';
import { clientTool } from './client-tools.js';
import { FillerLines, withFiller } from './filler.js';
import { lookupKnowledgeTool } from './knowledge-tool.js';
import { captureLeadTool } from './lead-tool.js';
import { ToolApi } from './tool-api.js';
import type { PersonaTool, ToolDeps } from './tool-deps.js';
import { webhookTool } from './webhook-tools.js';

export { appointmentTimeZone, spokenDateTime } from './appointment-tool.js';
export { contactLine } from './call-tools.js';
export { NO_KNOWLEDGE_MATCH } from './knowledge-tool.js';
export { idempotencyKey, ToolApi, type ToolApiOptions } from './tool-api.js';
export type { CallControls, ClientRpc, PersonaTool, ToolDeps } from './tool-deps.js';

/** Tools that speak for themselves: a filler line would talk over (or after) their own words. */
const SPEAKS_ITSELF: ReadonlySet<string> = new Set(['end_call', 'transfer_to_human', OPT_OUT_TOOL]);

/** Two of a persona's tools share a name; the model could not tell them apart. */
export class ToolNameConflictError extends Error {
  override readonly name = 'ToolNameConflictError';
  readonly code = 'tool_name_conflict';
  constructor(readonly toolName: string) {
    super(`persona has more than one tool named '${toolName}'`);
  }
}

function builtinTool(name: BuiltinTool, deps: ToolDeps, api: ToolApi): PersonaTool {
  switch (name) {
    case 'end_call':
      return endCallTool(deps);
    case 'transfer_to_human':
      return transferToHumanTool(deps);
    case 'capture_lead':
      return captureLeadTool(deps, api);
    case 'book_appointment':
      return bookAppointmentTool(deps.persona, api);
    case 'lookup_knowledge':
      return lookupKnowledgeTool(deps.persona);
    case 'schedule_callback':
      return scheduleCallbackTool(deps.persona, api);
  }
}

/**
 * The persona's tools for one call. A phone caller can always opt out of further calls, whatever
 * the persona enables: honouring that is not a persona's choice. A web visitor has no number
 * Parley would call again unasked, so is not offered it. Throws {@link ToolNameConflictError}
 * when two of the tools share a name.
 */
export function createPersonaTools(deps: ToolDeps): llm.ToolContext {
  const { persona } = deps;
  const api = new ToolApi({ ...deps.server, callId: deps.callId });
  const filler = new FillerLines(persona.filler, deps.controls);
  const tools: PersonaTool[] = [
    ...[...new Set(persona.tools)].map((name) => builtinTool(name, deps, api)),
    ...persona.webhookTools.map((declared) => webhookTool(declared, api)),
    ...persona.clientTools.map((declared) => clientTool(declared, deps.rpc)),
    ...(deps.channel === 'phone' ? [optOutTool(deps, api)] : []),
  ];
  const names = new Set<string>();
  for (const tool of tools) {
    if (names.has(tool.name)) throw new ToolNameConflictError(tool.name);
    names.add(tool.name);
  }
  return new llm.ToolContext(
    tools.map((tool) => (SPEAKS_ITSELF.has(tool.name) ? tool : withFiller(tool, filler))),
  );
}
