import { z } from 'zod';
import { PersonaSchema } from './persona.js';

/** One saved version of a persona (`GET /v1/personas/:id/versions`); every edit makes a new one. */
export const PersonaVersionSchema = z.object({
  personaId: z.string(),
  version: z.number().int(),
  persona: PersonaSchema,
  createdAt: z.string(),
});
export type PersonaVersion = z.infer<typeof PersonaVersionSchema>;
