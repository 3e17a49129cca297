import type { Router } from 'express';
import packageJson from '../../package.json' with { type: 'json' };
import {
  AppointmentSchema,
  CreateSessionRequestSchema,
  LeadSchema,
  PersonaSchema,
  PhoneNumberSchema,
  CallRecordSchema,
  CallSchema,
  TurnSchema,
  WebhookDeliverySchema,
  WebhookEndpointSchema,
} from '@parley/contracts';
import { buildOpenApiDocument, type OpenApiDocument } from './document.js';
import { ApiErrorBodySchema, SessionResponseSchema } from './response-schemas.js';
import { ROUTE_DOCS } from './route-registry.js';
import { routerOf } from '../http/define-route.js';
import { OPENAPI_ROUTES } from './openapi-routes.js';

/** Shown by name under `components.schemas` and referenced wherever a route uses them. */
const COMPONENTS = {
  ApiError: ApiErrorBodySchema,
  SessionRequest: CreateSessionRequestSchema,
  Session: SessionResponseSchema,
  Persona: PersonaSchema,
  Call: CallSchema,
  CallRecord: CallRecordSchema,
  Turn: TurnSchema,
  Lead: LeadSchema,
  Appointment: AppointmentSchema,
  PhoneNumber: PhoneNumberSchema,
  WebhookEndpoint: WebhookEndpointSchema,
  WebhookDelivery: WebhookDeliverySchema,
};

let built: OpenApiDocument | undefined;

/** The server's OpenAPI 3.1 document, built from the route registry on first use. */
export function openApiDocument(): OpenApiDocument {
  built ??= buildOpenApiDocument([...ROUTE_DOCS], {
    title: 'Parley API',
    version: packageJson.version,
    description:
      "Web voice sessions, the admin API, the agent worker's internal API and LiveKit webhooks. " +
      'Every error is `{ "error": { "code", "message" } }` with a stable code.',
    components: COMPONENTS,
  });
  return built;
}

/** `GET /v1/openapi.json`, serving {@link openApiDocument}. */
export function openApiRoutes(): Router {
  return routerOf(OPENAPI_ROUTES, openApiDocument);
}
