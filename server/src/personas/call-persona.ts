import type { Persona } from '@parley/contracts';
import type { PersonaStore } from './persona-store.js';
import type { CallRepo } from '../storage/index.js';
import type { Call } from '@parley/contracts';
import { NotFoundError } from '../domain-errors.js';

/**
 * The call and the persona version it runs: the agent's tools act as the persona the caller
 * is talking to, even when an admin has edited it since the call began.
 */
export async function callWithPersona(
  calls: CallRepo,
  personas: PersonaStore,
  callId: string,
): Promise<{ call: Call; persona: Persona }> {
  const call = await calls.require(callId);
  const version = await personas.getVersion(call.personaId, call.personaVersion);
  if (!version) {
    throw new NotFoundError(
      'persona_not_found',
      `persona '${call.personaId}' has no version ${call.personaVersion}`,
    );
  }
  return { call, persona: version.persona };
}
