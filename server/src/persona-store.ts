import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PersonaSchema, type Persona, type PersonaInput } from './contracts/index.js';
import { ApiError } from './api-error.js';
import { DEFAULT_PERSONA } from './default-persona.js';

/** Where personas live. The database-backed store of a later issue implements the same shape. */
export interface PersonaStore {
  get(id: string): Promise<Persona | undefined>;
  list(): Promise<Persona[]>;
  create(input: PersonaInput): Promise<Persona>;
  replace(id: string, input: PersonaInput): Promise<Persona>;
}

/**
 * Personas kept in one JSON file, written atomically (temp file + rename) and serialised through
 * one promise chain so concurrent edits never interleave.
 */
export class FilePersonaStore implements PersonaStore {
  private readonly file: string;
  private personas = new Map<string, Persona>();
  private writes: Promise<void> = Promise.resolve();

  private constructor(dataDir: string) {
    this.file = path.join(dataDir, 'personas.json');
  }

  static async open(dataDir: string): Promise<FilePersonaStore> {
    const store = new FilePersonaStore(dataDir);
    await mkdir(dataDir, { recursive: true });
    await store.load();
    return store;
  }

  async get(id: string): Promise<Persona | undefined> {
    return this.personas.get(id);
  }

  async list(): Promise<Persona[]> {
    return [...this.personas.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  async create(input: PersonaInput): Promise<Persona> {
    const persona = PersonaSchema.parse(input);
    if (this.personas.has(persona.id)) {
      throw new ApiError('conflict', `persona '${persona.id}' already exists`);
    }
    this.personas.set(persona.id, persona);
    await this.persist();
    return persona;
  }

  async replace(id: string, input: PersonaInput): Promise<Persona> {
    if (!this.personas.has(id)) throw new ApiError('persona_not_found', `no persona '${id}'`);
    const persona = PersonaSchema.parse({ ...input, id });
    this.personas.set(id, persona);
    await this.persist();
    return persona;
  }

  private async load(): Promise<void> {
    let raw: string | undefined;
    try {
      raw = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (raw === undefined) {
      this.personas.set('default', PersonaSchema.parse(DEFAULT_PERSONA));
      await this.persist();
      return;
    }
    const stored = PersonaSchema.array().parse(JSON.parse(raw));
    this.personas = new Map(stored.map((p) => [p.id, p]));
  }

  private persist(): Promise<void> {
    const snapshot = JSON.stringify([...this.personas.values()], null, 2);
    this.writes = this.writes.then(async () => {
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, snapshot);
      await rename(tmp, this.file);
    });
    return this.writes;
  }
}
