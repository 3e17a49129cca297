import { APPOINTMENT_ROUTES } from '../booking/appointment-routes.js';
import { CALL_ROUTES } from '../calls/call-routes.js';
import { CALL_TOOL_ROUTES } from '../calls/call-tool-routes.js';
import { AGENT_CALL_ROUTES } from '../calls/internal-routes.js';
import { LIVEKIT_WEBHOOK_ROUTES } from '../livekit/livekit-webhook-routes.js';
import { HEALTH_ROUTES } from '../observability/health-routes.js';
import type { Route } from '../http/define-route.js';
import { LEAD_ROUTES } from '../leads/lead-routes.js';
import { PERSONA_ROUTES } from '../personas/persona-routes.js';
import { SESSION_ROUTES } from '../sessions/session-routes.js';
import { WIDGET_CONFIG_ROUTES } from '../sessions/widget-config-routes.js';
import { API_KEY_ROUTES } from '../tenants/api-key-routes.js';
import { SECRET_ROUTES } from '../tenants/secret-routes.js';
import { TENANT_ROUTES } from '../tenants/tenant-routes.js';
import { WEBHOOK_ENDPOINT_ROUTES } from '../webhooks/webhook-endpoint-routes.js';
import { METRICS_ROUTES } from '../observability/metrics-routes.js';
import { OPENAPI_ROUTES } from './openapi-routes.js';
import { PHONE_INTERNAL_ROUTES } from '../phone/phone-internal-routes.js';
import { PHONE_NUMBER_ROUTES } from '../phone/phone-number-routes.js';
import { CONTINUE_ON_PHONE_ROUTES } from '../phone/outbound/continue-on-phone-routes.js';
import { DIAL_POLICY_ROUTES } from '../phone/outbound/dial-policy-routes.js';
import { OUTBOUND_CALL_ROUTES } from '../phone/outbound/outbound-call-routes.js';
import { OUTBOUND_TRUNK_ROUTES } from '../phone/outbound/outbound-trunk-routes.js';
import { TRANSFER_DIAL_ROUTES } from '../phone/outbound/transfer-dial-routes.js';
import { OPT_OUT_ROUTES } from '../phone/outbound/opt-out-routes.js';
import { CALLBACK_ROUTES } from '../phone/outbound/callback-routes.js';
import { CAMPAIGN_ROUTES, SCHEDULED_CALL_ROUTES } from '../campaigns/campaign-routes.js';
import type { RouteDoc } from './route-doc.js';

/**
 * Every route, each declared once with `defineRoute` in its capability's folder: Express mounts
 * that declaration and the OpenAPI document describes it, so the two cannot differ.
 */
const DECLARED_ROUTES: readonly (readonly Route<never>[])[] = [
  SESSION_ROUTES,
  WIDGET_CONFIG_ROUTES,
  LIVEKIT_WEBHOOK_ROUTES,
  PERSONA_ROUTES,
  CALL_ROUTES,
  WEBHOOK_ENDPOINT_ROUTES,
  LEAD_ROUTES,
  APPOINTMENT_ROUTES,
  SECRET_ROUTES,
  TENANT_ROUTES,
  API_KEY_ROUTES,
  AGENT_CALL_ROUTES,
  CALL_TOOL_ROUTES,
  HEALTH_ROUTES,
  PHONE_NUMBER_ROUTES,
  PHONE_INTERNAL_ROUTES,
  OUTBOUND_TRUNK_ROUTES,
  DIAL_POLICY_ROUTES,
  OUTBOUND_CALL_ROUTES,
  CONTINUE_ON_PHONE_ROUTES,
  TRANSFER_DIAL_ROUTES,
  OPT_OUT_ROUTES,
  CALLBACK_ROUTES,
  CAMPAIGN_ROUTES,
  SCHEDULED_CALL_ROUTES,
  METRICS_ROUTES,
  OPENAPI_ROUTES,
];

/** Every route the server mounts, documented; a test holds this list to what Express serves. */
export const ROUTE_DOCS: readonly RouteDoc[] = DECLARED_ROUTES.flat().map((route) => route.doc);

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const MATCHERS = ROUTE_DOCS.map((route) => ({
  method: route.method.toUpperCase(),
  path: route.path,
  pattern: new RegExp(
    `^${route.path
      .split('/')
      .map((segment) => (segment.startsWith(':') ? '[^/]+' : escapeRegExp(segment)))
      .join('/')}/?$`,
  ),
}));

/** The documented route (`/v1/calls/:id`) a request for `path` is served by, if any. */
export function documentedRoute(method: string, path: string): string | undefined {
  // Express answers HEAD with the GET route.
  const wanted = method === 'HEAD' ? 'GET' : method;
  return MATCHERS.find((m) => m.method === wanted && m.pattern.test(path))?.path;
}
