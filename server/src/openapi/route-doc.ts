import type { AnyZodObject, ZodTypeAny } from 'zod';
import type { ErrorCode } from '@parley/contracts';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/**
 * Who may call a route: anyone, the admin key, the agent's service key, LiveKit (a signed
 * webhook), or loopback callers and the admin key (`/metrics`).
 */
export type RouteAuth = 'public' | 'admin' | 'agent' | 'livekit' | 'loopbackOrAdmin';

/** One answer of a route: a JSON schema, another media type, or no body at all. */
export interface ResponseDoc {
  description: string;
  /** A JSON body of this shape. */
  schema?: ZodTypeAny;
  /** A non-JSON body (`schema` absent): its media type. */
  mediaType?: string;
}

/** One documented route: the OpenAPI document and the route-coverage test are built from these. */
export interface RouteDoc {
  method: HttpMethod;
  /** Express syntax, `:name` for a path parameter. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth: RouteAuth;
  /** Path parameters with their formats; plain strings named after the path when omitted. */
  params?: AnyZodObject;
  body?: ZodTypeAny;
  /** Media type of `body` when it is not JSON. */
  bodyMediaType?: string;
  query?: AnyZodObject;
  /** Success answers by status. */
  responses: Record<number, ResponseDoc>;
  /**
   * Error codes the route itself answers. `invalid_request` (with a body or query),
   * `payload_too_large` (with a body), `unauthorized` (behind a key) and `internal` are added
   * to every route they apply to.
   */
  errors?: ErrorCode[];
}
