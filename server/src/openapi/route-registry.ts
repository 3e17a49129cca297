import { ADMIN_API } from './admin-api.js';
import { AGENT_API } from './agent-api.js';
import { OPERATIONS_API } from './operations-api.js';
import { PHONE_API } from '../phone/phone-api.js';
import { OUTBOUND_PHONE_API } from '../phone/outbound/outbound-api.js';
import { PUBLIC_API } from './public-api.js';
import { TENANT_API } from './tenant-api.js';
import type { RouteDoc } from './route-doc.js';

/** Every route the server mounts, documented; a test holds this list to what Express serves. */
export const ROUTE_DOCS: readonly RouteDoc[] = [
  ...PUBLIC_API,
  ...ADMIN_API,
  ...TENANT_API,
  ...AGENT_API,
  ...OPERATIONS_API,
  ...PHONE_API,
  ...OUTBOUND_PHONE_API,
];

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
