import { Router } from 'express';
import { ApiError } from '../http/api-error.js';
import {
  CallLegReportSchema,
  CallWarningReportSchema,
  CallerHistoryQuerySchema,
} from '@parley/contracts';
import { tenantOf } from '../tenants/request-tenant.js';
import type { Tenancy } from '../tenants/tenancy.js';
import { parseBody } from '../http/validate.js';

/**
 * The agent's phone routes. Mounted inside `internalRoutes`, after the middleware that binds
 * `/internal/calls/:id` to the call's tenant.
 */
export function phoneInternalRoutes(tenancy: Tenancy): Router {
  const router = Router();

  /** What Parley remembers of a phone caller: earlier calls of the number in the tenant. */
  router.get('/internal/caller-history', async (req, res) => {
    const query = parseBody(CallerHistoryQuerySchema, req.query);
    const tenant = await tenancy.byHint(
      query.tenant,
      new ApiError('not_found', `no tenant '${query.tenant}'`),
    );
    res.json(await tenant.calls.historyOfPhoneNumber(query.phoneNumber));
  });

  /** A participant leg joined, progressed or left (upserted by identity). */
  router.post('/internal/calls/:id/legs', async (req, res) => {
    const leg = parseBody(CallLegReportSchema, req.body);
    res.json(await tenantOf(res).calls.upsertLeg(req.params.id, leg));
  });

  router.post('/internal/calls/:id/warnings', async (req, res) => {
    const warning = parseBody(CallWarningReportSchema, req.body);
    res.json(await tenantOf(res).calls.addWarning(req.params.id, warning));
  });

  return router;
}
