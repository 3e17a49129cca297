import {
  ApiKeySummarySchema,
  CreateApiKeyRequestSchema,
  CreateTenantRequestSchema,
  CreatedApiKeySchema,
  CreatedTenantSchema,
  TenantSchema,
  listOf,
} from '@parley/contracts';
import type { RouteDoc } from './route-doc.js';

const auth = 'admin';
const tag = 'Tenants and API keys';

/** Tenants (operator key only) and each tenant's own API keys. */
export const TENANT_API: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/tenants',
    summary: 'List tenants (operator key only)',
    tag,
    auth,
    responses: { 200: { description: 'every tenant', schema: listOf(TenantSchema) } },
    errors: ['forbidden'],
  },
  {
    method: 'post',
    path: '/v1/tenants',
    summary: 'Create a tenant and its first API key (operator key only)',
    description: 'The answer is the only time the key is shown; only its hash is stored.',
    tag,
    auth,
    body: CreateTenantRequestSchema,
    responses: { 201: { description: 'the tenant and its key', schema: CreatedTenantSchema } },
    errors: ['forbidden', 'conflict'],
  },
  {
    method: 'get',
    path: '/v1/api-keys',
    summary: "List the tenant's API keys, revoked ones included (never their key material)",
    tag,
    auth,
    responses: { 200: { description: 'every key', schema: listOf(ApiKeySummarySchema) } },
  },
  {
    method: 'post',
    path: '/v1/api-keys',
    summary: 'Create an API key for the tenant',
    description: 'The answer is the only time the key is shown; only its hash is stored.',
    tag,
    auth,
    body: CreateApiKeyRequestSchema,
    responses: { 201: { description: 'the key', schema: CreatedApiKeySchema } },
  },
  {
    method: 'delete',
    path: '/v1/api-keys/:id',
    summary: 'Revoke an API key: it is refused from the next request on',
    tag,
    auth,
    responses: { 204: { description: 'revoked' } },
    errors: ['not_found'],
  },
];
