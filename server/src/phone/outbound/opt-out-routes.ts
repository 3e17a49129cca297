import type { Router } from 'express';
import { DoNotCallEntrySchema, INTERNAL_ROUTES } from '@parley/contracts';
import { NotFoundError } from '../../domain-errors.js';
import { defineRoute, routerOf } from '../../http/define-route.js';
import { tenantOf } from '../../tenants/request-tenant.js';
import { callerNumberOf } from '../caller-number.js';

/**
 * Agent: `POST /internal/calls/:id/opt-out`, the `opt_out` tool: a caller who said not to be
 * called again. Mounted inside `internalRoutes`, after the middleware that binds the call's tenant.
 */
export const OPT_OUT_ROUTES = [
  defineRoute({
    method: 'post',
    path: INTERNAL_ROUTES.callOptOut,
    summary: "Put the caller's number on the do-not-call list (they asked not to be called again)",
    description:
      "The number is the call's own (a phone call's caller, or the phone a web visitor continued " +
      'on), never one from the request. Idempotent: the entry names the call it was asked on.',
    tag: 'Agent (internal)',
    auth: 'agent',
    responses: { 200: { description: 'the do-not-call entry', schema: DoNotCallEntrySchema } },
    errors: ['not_found', 'no_caller_number'],
    async handler({ res, params }) {
      const { calls, dialRules } = tenantOf(res);
      const call = await calls.get(params.id);
      if (!call) throw new NotFoundError('not_found', `no call '${params.id}'`);
      const reason = `asked not to be called again on call ${call.id}`;
      res.json(await dialRules.addDoNotCall(callerNumberOf(call), reason));
    },
  }),
];

export function optOutRoutes(): Router {
  return routerOf(OPT_OUT_ROUTES, undefined);
}
