import { z } from 'zod';
import { PersonaIdSchema } from './call.js';
import { InboundAccessSchema, PhoneProvisioningSchema } from './phone.js';

/**
 * Body of `PUT /v1/phone-numbers/:e164`: which persona answers the number, and who may reach it
 * (the number's own carrier addresses, else the server's `PARLEY_SIP_ALLOWED_ADDRESSES`, and/or
 * digest credentials). A number nobody is restricted from is refused (`unrestricted_trunk`).
 */
export const AssignPhoneNumberRequestSchema = z
  .object({
    personaId: PersonaIdSchema,
    label: z.string().max(100).optional(),
  })
  .merge(InboundAccessSchema);

export const PhoneNumberSchema = z.object({
  e164: z.string(),
  tenantId: z.string(),
  personaId: z.string(),
  label: z.string().optional(),
  createdAt: z.string(),
  /** The number's own carrier addresses, when it names any. */
  allowedAddresses: z.array(z.string()).optional(),
  /** The digest username callers must present (the password is never answered). */
  authUsername: z.string().optional(),
  /** LiveKit's trunk and dispatch rule for the number, once provisioned. */
  provisioning: PhoneProvisioningSchema.optional(),
});
export type PhoneNumber = z.infer<typeof PhoneNumberSchema>;
