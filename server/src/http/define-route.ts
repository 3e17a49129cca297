import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { AnyZodObject, ZodTypeAny, z } from 'zod';
import { parseInput } from '../domain-errors.js';
import type { RouteDoc } from '../openapi/route-doc.js';

type Parsed<S> = S extends ZodTypeAny ? z.infer<S> : undefined;

/** The `:name` parameters of an Express path, each a string. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Record<Name, string> & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Record<Name, string>
    : Record<never, string>;

/** What a route's handler receives: the request, already validated by the documented schemas. */
export interface RouteContext<P extends string, B, Q> {
  req: Request;
  res: Response;
  /** The body parsed by the documented `body` schema (`undefined` without one, or unparsed). */
  body: B;
  /** The query parsed by the documented `query` schema (`undefined` without one). */
  query: Q;
  params: PathParams<P>;
}

/**
 * One route, declared once: its documentation (the OpenAPI document and the route-coverage test
 * read it) and its handler (Express mounts it). `D` is what the handler needs from the app.
 */
export interface Route<D> {
  readonly doc: RouteDoc;
  mount(router: Router, deps: D): void;
}

export type RouteSpec<
  D,
  P extends string,
  B extends ZodTypeAny | undefined,
  Q extends AnyZodObject | undefined,
> = Omit<RouteDoc, 'path' | 'body' | 'query'> & {
  path: P;
  body?: B;
  query?: Q;
  /**
   * Whether `body` parses the request's body before the handler runs (the default). A route whose
   * body needs the path first (an id merged in, a parameter checked first) says `false` and
   * parses it itself.
   */
  parseBody?: boolean;
  /** Middleware run before the handler (a raw body parser, an auth check), or made from `deps`. */
  before?: RequestHandler[] | ((deps: D) => RequestHandler[]);
  handler(ctx: RouteContext<P, Parsed<B>, Parsed<Q>>, deps: D): Promise<void> | void;
};

/**
 * Declares a route once: the same declaration is mounted on Express (query and body parsed by
 * the schemas it documents, errors of the async handler forwarded by Express 5) and documented.
 */
export function defineRoute<
  D = void,
  P extends string = string,
  B extends ZodTypeAny | undefined = undefined,
  Q extends AnyZodObject | undefined = undefined,
>(spec: RouteSpec<D, P, B, Q>): Route<D> {
  const { handler, parseBody = true, before = [], ...doc } = spec;
  return {
    doc,
    mount(router, deps) {
      const middleware = typeof before === 'function' ? before(deps) : before;
      router[doc.method](doc.path, ...middleware, async (req: Request, res: Response) => {
        const query = (spec.query ? parseInput(spec.query, req.query) : undefined) as Parsed<Q>;
        const body = (
          spec.body && parseBody ? parseInput(spec.body, req.body) : undefined
        ) as Parsed<B>;
        const params = req.params as PathParams<P>;
        await handler({ req, res, body, query, params }, deps);
      });
    },
  };
}

/** A router serving `routes`, each with `deps`. */
export function routerOf<D>(routes: readonly Route<D>[], deps: D): Router {
  const router = Router();
  for (const route of routes) route.mount(router, deps);
  return router;
}
