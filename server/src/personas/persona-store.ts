import type { Persona, PersonaInput } from '@parley/contracts';
import type { PersonaVersion } from '@parley/contracts';

/** Where personas live; `storage/persona-repo.ts` keeps them, versioned, in the database. */
export interface PersonaStore {
  get(id: string): Promise<Persona | undefined>;
  list(): Promise<Persona[]>;
  create(input: PersonaInput): Promise<Persona>;
  replace(id: string, input: PersonaInput): Promise<Persona>;
  /** One saved version, as a call that ran it saw it. */
  getVersion(id: string, version: number): Promise<PersonaVersion | undefined>;
  /** Every saved version, oldest first; `persona_not_found` when there is none. */
  versions(id: string): Promise<PersonaVersion[]>;
}
