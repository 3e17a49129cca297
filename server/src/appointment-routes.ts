import { Router } from 'express';
import { ApiError } from './api-error.js';
import { AppointmentListQuerySchema, type AppointmentRepo } from './storage/index.js';
import { parseBody } from './validate.js';

/** Admin: booked and cancelled appointments, soonest first. Mounted behind the admin key. */
export function appointmentRoutes(appointments: AppointmentRepo): Router {
  const router = Router();

  router.get('/v1/appointments', async (req, res) => {
    res.json({ data: await appointments.list(parseBody(AppointmentListQuerySchema, req.query)) });
  });

  router.get('/v1/appointments/:id', async (req, res) => {
    const appointment = await appointments.get(req.params.id);
    if (!appointment) throw new ApiError('not_found', `no appointment '${req.params.id}'`);
    res.json(appointment);
  });

  /** Frees the slot; cancelling again answers the first cancellation. */
  router.post('/v1/appointments/:id/cancel', async (req, res) => {
    res.json(await appointments.cancel(req.params.id));
  });

  return router;
}
