import { Router } from 'express';
import { ApiError } from '../http/api-error.js';
import { tenantOf } from '../tenants/request-tenant.js';
import { AppointmentListQuerySchema } from '../storage/index.js';
import { parseBody } from '../http/validate.js';

/** Admin: the tenant's booked and cancelled appointments, soonest first. Behind `requireAdmin`. */
export function appointmentRoutes(): Router {
  const router = Router();

  router.get('/v1/appointments', async (req, res) => {
    const query = parseBody(AppointmentListQuerySchema, req.query);
    res.json({ data: await tenantOf(res).appointments.list(query) });
  });

  router.get('/v1/appointments/:id', async (req, res) => {
    const appointment = await tenantOf(res).appointments.get(req.params.id);
    if (!appointment) throw new ApiError('not_found', `no appointment '${req.params.id}'`);
    res.json(appointment);
  });

  /** Frees the slot; cancelling again answers the first cancellation. */
  router.post('/v1/appointments/:id/cancel', async (req, res) => {
    res.json(await tenantOf(res).appointments.cancel(req.params.id));
  });

  return router;
}
