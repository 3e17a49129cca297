import { Router } from 'express';
import { ApiError } from '../http/api-error.js';
import type { CallRecord } from '@parley/contracts';
import { tenantOf } from '../tenants/request-tenant.js';
import { CallListQuerySchema } from '../storage/index.js';
import { parseBody } from '../http/validate.js';

/** Admin: the tenant's call history, web and phone alike. Mounted behind `requireAdmin`. */
export function callRoutes(): Router {
  const router = Router();

  router.get('/v1/calls', async (req, res) => {
    const page = await tenantOf(res).calls.list(parseBody(CallListQuerySchema, req.query));
    res.json(page);
  });

  router.get('/v1/calls/:id', async (req, res) => {
    const records = tenantOf(res);
    const call = await records.calls.get(req.params.id);
    if (!call) throw new ApiError('not_found', `no call '${req.params.id}'`);
    const [events, leads, appointments, consents] = await Promise.all([
      records.callEvents.listForCall(call.id),
      records.leads.list({ callId: call.id, limit: 100 }),
      records.appointments.list({ callId: call.id }),
      records.consents.listForCall(call.id),
    ]);
    const consent = consents.at(-1);
    const record: CallRecord = {
      ...call,
      events,
      leads: leads.items,
      appointments,
      ...(consent && { consent }),
    };
    res.json(record);
  });

  return router;
}
