import type { Router } from 'express';
import { PersonaSchema, PersonaVersionSchema, listOf, type Persona } from '@parley/contracts';
import { ApiError } from '../http/api-error.js';
import type { OutgoingGuard } from '../http/outgoing-guard.js';
import { InvalidInputError } from '../domain-errors.js';
import { defineRoute, routerOf } from '../http/define-route.js';
import { parseBody } from '../http/validate.js';
import { tenantOf } from '../tenants/request-tenant.js';

const auth = 'admin';
const tag = 'Personas';

/**
 * Refuses a persona whose webhook tool names a host the server may never call (loopback,
 * private, metadata, …): caught when it is saved, not first when a caller needs the tool. A
 * host name is checked again each time the tool runs.
 */
function checkToolUrls(persona: Persona, outgoing: OutgoingGuard): void {
  for (const [index, tool] of persona.webhookTools.entries()) {
    const refused = outgoing.refusedUrl(tool.url);
    if (refused) {
      throw new InvalidInputError(
        `webhookTools.${index}.url: '${refused.host}' is ${refused.reason}; webhook tools call public addresses only`,
      );
    }
  }
}

/** Admin CRUD for the tenant's personas; mounted behind `requireAdmin`. */
export const PERSONA_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/personas',
    summary: 'List personas (current versions)',
    tag,
    auth,
    responses: { 200: { description: 'every persona', schema: listOf(PersonaSchema) } },
    async handler({ res }, _outgoing: OutgoingGuard) {
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
    async handler({ res, params }, _outgoing: OutgoingGuard) {
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
    async handler({ res, params }, _outgoing: OutgoingGuard) {
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
    async handler({ res, body }, outgoing: OutgoingGuard) {
      checkToolUrls(body, outgoing);
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
    async handler({ req, res, params }, outgoing: OutgoingGuard) {
      const body: unknown = req.body;
      const withId = typeof body === 'object' && body !== null ? { ...body, id: params.id } : body;
      const input = parseBody(PersonaSchema, withId);
      checkToolUrls(input, outgoing);
      res.json(await tenantOf(res).personas.replace(params.id, input));
    },
  }),
];

export function personaRoutes(outgoing: OutgoingGuard): Router {
  return routerOf(PERSONA_ROUTES, outgoing);
}
