import type { Router } from 'express';
import { AppointmentSchema, listOf, AppointmentListQuerySchema } from '@parley/contracts';
import { ApiError } from '../http/api-error.js';
import { defineRoute, routerOf } from '../http/define-route.js';
import { tenantOf } from '../tenants/request-tenant.js';

const auth = 'admin';
const tag = 'Leads and appointments';

/** Admin: the tenant's booked and cancelled appointments, soonest first. Behind `requireAdmin`. */
export const APPOINTMENT_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/appointments',
    summary: 'List appointments, soonest first',
    tag,
    auth,
    query: AppointmentListQuerySchema,
    responses: { 200: { description: 'the appointments', schema: listOf(AppointmentSchema) } },
    async handler({ res, query }) {
      res.json({ data: await tenantOf(res).appointments.list(query) });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/appointments/:id',
    summary: 'Get an appointment',
    tag,
    auth,
    responses: { 200: { description: 'the appointment', schema: AppointmentSchema } },
    errors: ['not_found'],
    async handler({ res, params }) {
      const appointment = await tenantOf(res).appointments.get(params.id);
      if (!appointment) throw new ApiError('not_found', `no appointment '${params.id}'`);
      res.json(appointment);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/appointments/:id/cancel',
    summary: 'Cancel an appointment, freeing its slot',
    description:
      'Cancelling again answers the first cancellation. Its reminder calls not yet placed are ' +
      'cancelled too.',
    tag,
    auth,
    responses: { 200: { description: 'the cancelled appointment', schema: AppointmentSchema } },
    errors: ['not_found'],
    async handler({ res, params }) {
      const tenant = tenantOf(res);
      const appointment = await tenant.appointments.cancel(params.id);
      // Its reminder calls still waiting are cancelled with it.
      await tenant.scheduledCalls.cancelForAppointment(appointment.id);
      res.json(appointment);
    },
  }),
];

export function appointmentRoutes(): Router {
  return routerOf(APPOINTMENT_ROUTES, undefined);
}
