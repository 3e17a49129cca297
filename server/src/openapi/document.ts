import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  extendZodWithOpenApi,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z, type ZodTypeAny } from 'zod';
import { ERROR_STATUS, type ErrorCode } from '@parley/contracts';
import type { RouteAuth, RouteDoc } from './route-doc.js';

// The generator reads (and, for parameters, writes) metadata through zod's `.openapi()`.
extendZodWithOpenApi(z);

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

export interface DocumentOptions {
  title: string;
  version: string;
  description: string;
  /** Schemas shown under `components.schemas` by name, and referenced where a route uses them. */
  components: Record<string, ZodTypeAny>;
}

const SECURITY: Record<RouteAuth, Record<string, string[]>[]> = {
  public: [],
  admin: [{ adminKey: [] }],
  agent: [{ agentKey: [] }],
  livekit: [{ livekitWebhook: [] }],
  // The empty requirement: a loopback caller needs no credential.
  loopbackOrAdmin: [{}, { adminKey: [] }],
};

const PATH_PARAMETER = /:(\w+)/g;

/** `/v1/calls/:id` → `/v1/calls/{id}` */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(PATH_PARAMETER, '{$1}');
}

/** The error codes a route may answer: its own and those its shape implies. */
export function errorCodes(route: RouteDoc): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.errors);
  if (route.body || route.query) codes.add('invalid_request');
  if (route.body) codes.add('payload_too_large');
  if (route.auth !== 'public') codes.add('unauthorized');
  codes.add('internal');
  return [...codes];
}

/** One error response per status, its `code` narrowed to what the route can answer there. */
function errorResponses(route: RouteDoc): RouteConfig['responses'] {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodes(route)) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: RouteConfig['responses'] = {};
  for (const [status, codes] of byStatus) {
    const schema = z.object({
      error: z.object({ code: z.enum(codes as [ErrorCode, ...ErrorCode[]]), message: z.string() }),
    });
    responses[status] = {
      description: codes.join(', '),
      content: { 'application/json': { schema } },
    };
  }
  return responses;
}

/** The names of a path's parameters, in order. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(PATH_PARAMETER)].map((m) => m[1] ?? '');
}

function toRouteConfig(route: RouteDoc, named: (schema: ZodTypeAny) => ZodTypeAny): RouteConfig {
  const request: RouteConfig['request'] = {};
  const names = pathParameterNames(route.path);
  if (names.length > 0) {
    request.params =
      route.params ?? z.object(Object.fromEntries(names.map((name) => [name, z.string()])));
  }
  if (route.query) request.query = route.query;
  if (route.body) {
    const mediaType = route.bodyMediaType ?? 'application/json';
    request.body = { required: true, content: { [mediaType]: { schema: named(route.body) } } };
  }
  const responses: RouteConfig['responses'] = {};
  for (const [status, answer] of Object.entries(route.responses)) {
    const content = answer.schema
      ? { 'application/json': { schema: named(answer.schema) } }
      : answer.mediaType && { [answer.mediaType]: { schema: z.string() } };
    responses[status] = { description: answer.description, ...(content && { content }) };
  }
  return {
    method: route.method,
    path: openApiPath(route.path),
    summary: route.summary,
    ...(route.description && { description: route.description }),
    tags: [route.tag],
    security: SECURITY[route.auth],
    request,
    responses: { ...responses, ...errorResponses(route) },
  };
}

/** The OpenAPI 3.1 document of `routes`, generated from their zod schemas. */
export function buildOpenApiDocument(
  routes: RouteDoc[],
  options: DocumentOptions,
): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'adminKey', {
    type: 'http',
    scheme: 'bearer',
    description:
      "A tenant's API key (`parley_…`, acting on that tenant), or the operator key " +
      '(`PARLEY_ADMIN_KEY`; it alone manages tenants). The operator key acts on the tenant a ' +
      '`Parley-Tenant` header names by id or slug (404 when there is none), on the default ' +
      "tenant without it, and each of its requests is logged. A tenant's key naming another " +
      'tenant in that header is 403.',
  });
  registry.registerComponent('securitySchemes', 'agentKey', {
    type: 'http',
    scheme: 'bearer',
    description: "The agent worker's service key (`PARLEY_AGENT_KEY`).",
  });
  registry.registerComponent('securitySchemes', 'livekitWebhook', {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description:
      "A JWT livekit-server signs with the LiveKit API key pair; it carries the body's SHA-256.",
  });
  const named = new Map<ZodTypeAny, ZodTypeAny>();
  for (const [name, schema] of Object.entries(options.components)) {
    named.set(schema, registry.register(name, schema));
  }
  for (const route of routes) {
    registry.registerPath(toRouteConfig(route, (schema) => named.get(schema) ?? schema));
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: options.title, version: options.version, description: options.description },
  });
}
