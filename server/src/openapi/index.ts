export { openApiDocument, openApiRoutes } from './openapi-document.js';
export { ROUTE_DOCS, documentedRoute } from './route-registry.js';
export type { RouteDoc } from './route-doc.js';
