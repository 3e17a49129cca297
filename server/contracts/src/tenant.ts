import { z } from 'zod';

/** A tenant: the account every persona, call, lead and key belongs to. */
export const TenantSchema = z.object({
  id: z.string(),
  /** Names the tenant in public persona references: `<slug>/<persona-id>`. */
  slug: z.string(),
  name: z.string(),
  createdAt: z.string(),
});
export type Tenant = z.infer<typeof TenantSchema>;

export const TenantSlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, at most 63');

/** Body of `POST /v1/tenants` (operator key only). */
export const CreateTenantRequestSchema = z.object({
  slug: TenantSlugSchema,
  name: z.string().min(1).max(200),
});
export type CreateTenantRequest = z.infer<typeof CreateTenantRequestSchema>;

/** Body of `POST /v1/api-keys`. */
export const CreateApiKeyRequestSchema = z.object({ name: z.string().min(1).max(100) });
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequestSchema>;

/** An API key as listed: never its key material, only the first characters to tell it apart. */
export const ApiKeySummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The start of the key (`parley_Xb3f9a`), as shown in lists. */
  prefix: z.string(),
  createdAt: z.string(),
  /** Set once the key is revoked; a revoked key is refused at once. */
  revokedAt: z.string().optional(),
});
export type ApiKeySummary = z.infer<typeof ApiKeySummarySchema>;

/** A key just created: the only answer that ever carries the key itself. */
export const CreatedApiKeySchema = ApiKeySummarySchema.omit({ revokedAt: true }).extend({
  /** `Authorization: Bearer <key>`; shown once, stored only as a hash. */
  key: z.string(),
});
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

/** `201` answer of `POST /v1/tenants`: the tenant and its first API key. */
export const CreatedTenantSchema = z.object({ tenant: TenantSchema, apiKey: CreatedApiKeySchema });
export type CreatedTenant = z.infer<typeof CreatedTenantSchema>;
