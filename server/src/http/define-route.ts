import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { AnyZodObject, ZodTypeAny, z } from 'zod';
import { parseInput } from '../domain-errors.js';
import type { RouteDoc } from '../openapi/route-doc.js';

type Parsed<S> = S extends ZodTypeAny ? z.infer<S> : undefined;

/** What a route's handler receives: the request, already validated by the documented schemas. */
export interface RouteContext<B, Q> {
  req: Request;
  res: Response;
  /** The body parsed by the documented `body` schema (`undefined` without one, or unvalidated). */
  body: B;
  /** The query parsed by the documented `query` schema (`undefined` without one). */
  query: Q;
  params: Request['params'];
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
  B extends ZodTypeAny | undefined,
  Q extends AnyZodObject | undefined,
> = Omit<RouteDoc, 'body' | 'query'> & {
  body?: B;
  query?: Q;
  /**
   * Whether the body is parsed by `body` before the handler runs (default). A route whose body
   * needs the path first (e.g. an id merged in) parses it itself and says `false`.
   */
  parseBody?: boolean;
  /** Middleware run before the handler (a raw body parser, an auth check). */
  before?: RequestHandler[];
  handler(ctx: RouteContext<Parsed<B>, Parsed<Q>>, deps: D): Promise<void> | void;
};

/** Declares a route once; the same declaration is mounted on Express and documented. */
export function defineRoute<
  D = void,
  B extends ZodTypeAny | undefined = undefined,
  Q extends AnyZodObject | undefined = undefined,
>(spec: RouteSpec<D, B, Q>): Route<D> {
  const { handler, parseBody = true, before = [], ...doc } = spec;
  return {
    doc,
    mount(router, deps) {
      router[doc.method](doc.path, ...before, async (req: Request, res: Response) => {
        const query = (spec.query ? parseInput(spec.query, req.query) : undefined) as Parsed<Q>;
        const body = (
          spec.body && parseBody ? parseInput(spec.body, req.body) : undefined
        ) as Parsed<B>;
        await handler({ req, res, body, query, params: req.params }, deps);
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
