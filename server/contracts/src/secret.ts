import { z } from 'zod';

/** A stored secret's name, as `{{secret.NAME}}` references it. */
export const SecretNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'letters, digits and _, starting with a letter or _');

/** Body of `PUT /v1/secrets/:name`. */
export const PutSecretRequestSchema = z.object({ value: z.string().min(1).max(4096) });

/** What the admin API tells about a secret: never its value. */
export const SecretSummarySchema = z.object({
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SecretSummary = z.infer<typeof SecretSummarySchema>;
