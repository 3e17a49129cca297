import type { Router } from 'express';
import {
  CallLegReportSchema,
  CallLegSchema,
  CallWarningReportSchema,
  CallWarningSchema,
  CallerHistoryQuerySchema,
  CallerHistorySchema,
  INTERNAL_ROUTES,
} from '@parley/contracts';
import { NotFoundError } from '../domain-errors.js';
import { defineRoute, routerOf } from '../http/define-route.js';
import { tenantOf } from '../tenants/request-tenant.js';
import type { Tenancy } from '../tenants/tenancy.js';

const tag = 'Agent (internal)';
const auth = 'agent';

/**
 * The agent's phone routes. Mounted inside `internalRoutes`, after the middleware that binds
 * `/internal/calls/:id` to the call's tenant.
 */
export const PHONE_INTERNAL_ROUTES = [
  /** What Parley remembers of a phone caller: earlier calls of the number in the tenant. */
  defineRoute({
    method: 'get',
    path: INTERNAL_ROUTES.callerHistory,
    summary: "What Parley remembers of a phone caller: the number's earlier calls in the tenant",
    tag,
    auth,
    query: CallerHistoryQuerySchema,
    responses: { 200: { description: 'earlier ended calls', schema: CallerHistorySchema } },
    errors: ['not_found'],
    async handler({ res, query }, tenancy: Tenancy) {
      const tenant = await tenancy.byHint(
        query.tenant,
        new NotFoundError('not_found', `no tenant '${query.tenant}'`),
      );
      res.json(await tenant.calls.historyOfPhoneNumber(query.phoneNumber));
    },
  }),
  /** A participant leg joined, progressed or left (upserted by identity). */
  defineRoute({
    method: 'post',
    path: INTERNAL_ROUTES.callLegs,
    summary: 'Report a participant leg of a call (upserted by identity)',
    description:
      'A later report of the same identity moves its status on and fills in what was missing; ' +
      'its start time stays the first one given.',
    tag,
    auth,
    body: CallLegReportSchema,
    responses: { 200: { description: 'the leg as stored', schema: CallLegSchema } },
    errors: ['not_found'],
    async handler({ res, params, body }, _tenancy: Tenancy) {
      res.json(await tenantOf(res).calls.upsertLeg(params.id, body));
    },
  }),
  defineRoute({
    method: 'post',
    path: INTERNAL_ROUTES.callWarnings,
    summary: 'Keep a warning with a call (narrowband audio, a failed transfer…)',
    description: 'The same warning reported again is kept once.',
    tag,
    auth,
    body: CallWarningReportSchema,
    responses: { 200: { description: 'the warning as stored', schema: CallWarningSchema } },
    errors: ['not_found'],
    async handler({ res, params, body }, _tenancy: Tenancy) {
      res.json(await tenantOf(res).calls.addWarning(params.id, body));
    },
  }),
];

export function phoneInternalRoutes(tenancy: Tenancy): Router {
  return routerOf(PHONE_INTERNAL_ROUTES, tenancy);
}
