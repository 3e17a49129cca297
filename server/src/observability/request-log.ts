import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { answeredError } from '../http/api-error.js';
import { documentedRoute } from '../openapi/route-registry.js';
import { runWithLogContext, type LogContext } from './log-context.js';
import type { Logger } from './logger.js';
import type { ServerMetrics } from './metrics.js';

export interface RequestLogOptions {
  logger: Logger;
  metrics: ServerMetrics;
}

export const REQUEST_ID_HEADER = 'x-request-id';
/** A proxy's request id is kept when it looks like one; anything else could forge log lines. */
const USABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;
/** Call ids are `call_` and 20 base64url characters; the path names the call of these routes. */
const CALL_SCOPED_PATH = /^\/(?:internal|v1)\/calls\/(call_[\w-]{1,64})(?:\/|$)/;
/**
 * Polled every few seconds by probes, Prometheus and the agent: logged at debug unless answered
 * with an error (a 503 "still starting" from /healthz is an answer, not an error).
 */
const ROUTINE_ROUTES = new Set([
  '/healthz',
  '/readyz',
  '/livez',
  '/metrics',
  '/internal/workers/heartbeat',
]);

/**
 * The route pattern a request is counted and logged under: the Express route that answered, or
 * the documented route its path fits (a credential check or the body parser may answer before
 * any route runs). Never the raw path, so the label values stay few: what no route serves is
 * `(unmatched)` when answered 404, else `(other)` (static files, CORS preflights).
 */
function routeOf(req: Request, res: Response, path: string): string {
  const route: unknown = req.route;
  if (typeof route === 'object' && route !== null && 'path' in route) {
    if (typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  }
  const documented = documentedRoute(req.method, path);
  if (documented) return documented;
  return res.statusCode === 404 ? '(unmatched)' : '(other)';
}

/**
 * One log line and one metrics sample per request, written when the response is done (or the
 * client went away). Everything logged while the request is served carries its request id and,
 * for call-scoped routes, the call id. Headers, bodies and query strings are never logged.
 */
export function requestLog({ logger, metrics }: RequestLogOptions): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // Read now: a router mounted under a path rewrites `req.url` while it serves.
    const { method, path } = req;
    const given = req.get(REQUEST_ID_HEADER);
    const context: LogContext = {
      reqId: given && USABLE_REQUEST_ID.test(given) ? given : randomUUID(),
    };
    const callId = CALL_SCOPED_PATH.exec(path)?.[1];
    if (callId) context.callId = callId;
    res.set(REQUEST_ID_HEADER, context.reqId);

    res.once('close', () => {
      const route = routeOf(req, res, path);
      const status = res.statusCode;
      const error = answeredError(res);
      metrics.requestAnswered(method, route, status);
      if (error) metrics.errorAnswered(error.code);
      const line = {
        ...context,
        method,
        route,
        path,
        status,
        ms: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
        ...(error && { errorCode: error.code }),
        ...(!res.writableFinished && { aborted: true }),
      };
      const message = `${method} ${path} ${status}`;
      if (error?.code === 'internal') logger.error({ ...line, err: error.cause }, message);
      else if (!error && ROUTINE_ROUTES.has(route)) logger.debug(line, message);
      else logger.info(line, message);
    });
    runWithLogContext(context, next);
  };
}
