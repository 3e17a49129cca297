import type { Express } from 'express';

/** One method on one path, as Express would route it. */
export interface MountedRoute {
  method: string;
  path: string;
}

/** The parts of Express's router layers this walk reads (they are not in Express's types). */
interface Layer {
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  handle?: { stack?: unknown };
  rawPath?: unknown;
}

const paths = (raw: unknown): string[] =>
  (Array.isArray(raw) ? raw.flat(Infinity) : [raw]).filter(
    (p): p is string => typeof p === 'string',
  );

function walk(stack: Layer[], prefix: string, found: MountedRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      for (const path of paths(layer.route.path)) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') found.push({ method, path: `${prefix}${path}` });
        }
      }
    } else if (Array.isArray(layer.handle?.stack)) {
      // A router: mounted at the root here, or under the path it was `use`d with.
      const mounts = paths(layer.rawPath);
      for (const mount of mounts.length > 0 ? mounts : ['/']) {
        walk(layer.handle.stack as Layer[], `${prefix}${mount === '/' ? '' : mount}`, found);
      }
    }
  }
}

/** Every method and path `app` has a route for, in mounting order. */
export function mountedRoutes(app: Express): MountedRoute[] {
  const found: MountedRoute[] = [];
  walk((app.router as unknown as { stack: Layer[] }).stack, '', found);
  return found;
}
