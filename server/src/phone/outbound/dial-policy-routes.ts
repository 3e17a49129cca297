import type { Router } from 'express';
import { z } from 'zod';
import {
  DialPolicySchema,
  DoNotCallEntrySchema,
  DoNotCallInputSchema,
  E164Schema,
  listOf,
} from '@parley/contracts';
import { defineRoute, routerOf } from '../../http/define-route.js';
import { parseBody } from '../../http/validate.js';
import { tenantOf } from '../../tenants/request-tenant.js';

const tag = 'Outbound calls';
const auth = 'admin';
const E164Params = z.object({ e164: E164Schema });

/** Admin: the tenant's do-not-call list and dial policy. Mounted behind `requireAdmin`. */
export const DIAL_POLICY_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/do-not-call',
    summary: "The tenant's do-not-call list",
    tag,
    auth,
    responses: { 200: { description: 'every number', schema: listOf(DoNotCallEntrySchema) } },
    async handler({ res }) {
      res.json({ data: await tenantOf(res).dialRules.listDoNotCall() });
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/do-not-call/:e164',
    summary: 'Never dial this number',
    description: 'Outbound calls and "continue on my phone" to it are refused with `do_not_call`.',
    tag,
    auth,
    params: E164Params,
    body: DoNotCallInputSchema,
    // The number in the path is checked first; an absent body is an empty one.
    parseBody: false,
    responses: { 200: { description: 'the entry', schema: DoNotCallEntrySchema } },
    async handler({ req, res, params }) {
      const e164 = parseBody(E164Schema, params.e164);
      const { reason } = parseBody(DoNotCallInputSchema, req.body ?? {});
      res.json(await tenantOf(res).dialRules.addDoNotCall(e164, reason));
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/do-not-call/:e164',
    summary: 'Take a number off the do-not-call list',
    tag,
    auth,
    params: E164Params,
    responses: { 204: { description: 'removed' } },
    errors: ['invalid_request', 'not_found'],
    async handler({ res, params }) {
      await tenantOf(res).dialRules.removeDoNotCall(parseBody(E164Schema, params.e164));
      res.status(204).end();
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/dial-policy',
    summary: "The tenant's dial policy",
    description:
      'Until one is set: no destination may be dialled and 5 phone calls may run at once — a ' +
      'tenant opts in to the destinations it calls (the toll-fraud guard).',
    tag,
    auth,
    responses: { 200: { description: 'the policy', schema: DialPolicySchema } },
    async handler({ res }) {
      res.json(await tenantOf(res).dialRules.policy());
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/dial-policy',
    summary: 'Set the allowed destination prefixes and the phone calls allowed at once',
    tag,
    auth,
    body: DialPolicySchema,
    responses: { 200: { description: 'the policy as stored', schema: DialPolicySchema } },
    async handler({ res, body }) {
      res.json(await tenantOf(res).dialRules.setPolicy(body));
    },
  }),
];

export function dialPolicyRoutes(): Router {
  return routerOf(DIAL_POLICY_ROUTES, undefined);
}
