import { z } from 'zod';
import { defineRoute } from '../http/define-route.js';
import type { OpenApiDocument } from './document.js';

/** `GET /v1/openapi.json`: public, it describes shapes and never holds a secret. */
export const OPENAPI_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    tag: 'Operations',
    auth: 'public',
    responses: {
      200: { description: 'the document', schema: z.record(z.unknown()) },
    },
    handler({ res }, document: () => OpenApiDocument) {
      res.json(document());
    },
  }),
];
