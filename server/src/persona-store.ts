import type { Persona, PersonaInput } from './contracts/index.js';

/** Where personas live; `storage/persona-repo.ts` keeps them, versioned, in the database. */
export interface PersonaStore {
  get(id: string): Promise<Persona | undefined>;
  list(): Promise<Persona[]>;
  create(input: PersonaInput): Promise<Persona>;
  replace(id: string, input: PersonaInput): Promise<Persona>;
}
