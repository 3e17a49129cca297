import type { Router } from 'express';
import { PersonaSchema, PersonaVersionSchema, listOf } from '@parley/contracts';
import { ApiError } from '../http/api-error.js';
import { defineRoute, routerOf } from '../http/define-route.js';
import { parseBody } from '../http/validate.js';
import { tenantOf } from '../tenants/request-tenant.js';

const auth = 'admin';
const tag = 'Personas';

/** Admin CRUD for the tenant's personas; mounted behind `requireAdmin`. */
export const PERSONA_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/personas',
    summary: 'List personas (current versions)',
    tag,
    auth,
    responses: { 200: { description: 'every persona', schema: listOf(PersonaSchema) } },
    async handler({ res }) {
      res.json({ data: await tenantOf(res).personas.list() });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/personas/:id',
    summary: 'Get a persona (current version)',
    tag,
    auth,
    responses: { 200: { description: 'the persona', schema: PersonaSchema } },
    errors: ['persona_not_found'],
    async handler({ res, params }) {
      const persona = await tenantOf(res).personas.get(params.id);
      if (!persona) throw new ApiError('persona_not_found', `no persona '${params.id}'`);
      res.json(persona);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/personas/:id/versions',
    summary: "A persona's saved versions, oldest first",
    description: 'Each edit is a new version; every call records the version it ran.',
    tag,
    auth,
    responses: { 200: { description: 'every version', schema: listOf(PersonaVersionSchema) } },
    errors: ['persona_not_found'],
    async handler({ res, params }) {
      res.json({ data: await tenantOf(res).personas.versions(params.id) });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/personas',
    summary: 'Create a persona',
    tag,
    auth,
    body: PersonaSchema,
    responses: { 201: { description: 'the persona as stored', schema: PersonaSchema } },
    errors: ['conflict'],
    async handler({ res, body }) {
      res.status(201).json(await tenantOf(res).personas.create(body));
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/personas/:id',
    summary: 'Replace a persona: a new version',
    description: 'Calls already running keep the version they started with.',
    tag,
    auth,
    body: PersonaSchema,
    // The path names the persona: its id goes into the body before the body is parsed.
    parseBody: false,
    responses: { 200: { description: 'the new version', schema: PersonaSchema } },
    errors: ['persona_not_found'],
    async handler({ req, res, params }) {
      const body: unknown = req.body;
      const withId = typeof body === 'object' && body !== null ? { ...body, id: params.id } : body;
      const input = parseBody(PersonaSchema, withId);
      res.json(await tenantOf(res).personas.replace(params.id, input));
    },
  }),
];

export function personaRoutes(): Router {
  return routerOf(PERSONA_ROUTES, undefined);
}
