import { z } from 'zod';
import { PersonaIdSchema } from './call.js';

/** Body of `PUT /v1/phone-numbers/:e164`: which persona answers the number. */
export const AssignPhoneNumberRequestSchema = z.object({
  personaId: PersonaIdSchema,
  label: z.string().max(100).optional(),
});

export const PhoneNumberSchema = z.object({
  e164: z.string(),
  tenantId: z.string(),
  personaId: z.string(),
  label: z.string().optional(),
  createdAt: z.string(),
});
export type PhoneNumber = z.infer<typeof PhoneNumberSchema>;
