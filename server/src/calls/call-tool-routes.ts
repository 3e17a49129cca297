import { Router } from 'express';
import { ApiError } from '../http/api-error.js';
import { availability, bookForCall } from '../booking/booking.js';
import { callWithPersona } from '../personas/call-persona.js';
import {
  AvailabilityQuerySchema,
  BookAppointmentRequestSchema,
  CaptureLeadRequestSchema,
  RunWebhookToolRequestSchema,
} from '@parley/contracts';
import { tenantOf } from '../tenants/request-tenant.js';
import { parseBody } from '../http/validate.js';
import { WebhookToolRunner } from '../webhooks/webhook-tool-runner.js';

/**
 * What the agent's tools do on the server, for one call: capture a lead, look up free slots,
 * book an appointment, run a webhook tool. Mounted behind the agent's service credential, after
 * the middleware that binds each request to its call's tenant; `lead.captured` and
 * `appointment.booked` go to that tenant's webhook endpoints.
 */
export function callToolRoutes(): Router {
  const router = Router();

  router.post('/internal/calls/:id/leads', async (req, res) => {
    const { calls, leads, webhooks } = tenantOf(res);
    const { key, lead } = parseBody(CaptureLeadRequestSchema, req.body);
    const { budget, isDecisionMaker, timelineDays, score, signals } = lead;
    const captured = await leads.capture(req.params.id, key, {
      name: lead.name,
      email: lead.email,
      phone: lead.phone,
      company: lead.company,
      notes: lead.need,
      temperature: lead.temperature,
      data: { budget, isDecisionMaker, timelineDays, score, signals },
    });
    const stored = captured.lead;
    if (stored.temperature) await calls.raiseLeadTemperature(req.params.id, stored.temperature);
    // The lead's id makes the event id stable: a retried capture queues nothing new.
    await webhooks.enqueue({
      id: `${stored.id}.captured`,
      type: 'lead.captured',
      payload: { lead: stored },
    });
    res.status(captured.created ? 201 : 200).json(stored);
  });

  router.get('/internal/calls/:id/availability', async (req, res) => {
    const { calls, personas, appointments } = tenantOf(res);
    const query = parseBody(AvailabilityQuerySchema, req.query);
    const { persona } = await callWithPersona(calls, personas, req.params.id);
    res.json(await availability(appointments, persona, query));
  });

  router.post('/internal/calls/:id/appointments', async (req, res) => {
    const { calls, personas, appointments, webhooks } = tenantOf(res);
    const { key, appointment: args } = parseBody(BookAppointmentRequestSchema, req.body);
    const { call, persona } = await callWithPersona(calls, personas, req.params.id);
    const { appointment, created } = await bookForCall(appointments, persona, {
      callId: call.id,
      key,
      args,
    });
    await webhooks.enqueue({
      id: `${appointment.id}.booked`,
      type: 'appointment.booked',
      payload: { appointment },
    });
    res.status(created ? 201 : 200).json(appointment);
  });

  router.post('/internal/calls/:id/tools/:name', async (req, res) => {
    const { calls, personas, secrets } = tenantOf(res);
    const { args } = parseBody(RunWebhookToolRequestSchema, req.body);
    const { call, persona } = await callWithPersona(calls, personas, req.params.id);
    const tool = persona.webhookTools.find((t) => t.name === req.params.name);
    if (!tool) {
      throw new ApiError(
        'tool_not_found',
        `persona '${persona.id}' has no webhook tool '${req.params.name}'`,
      );
    }
    // Webhook tools sign with and fill headers from the call's tenant's secrets.
    const result = await new WebhookToolRunner(secrets).run(tool, args, {
      id: call.id,
      personaId: call.personaId,
      channel: call.channel,
    });
    res.json({ result });
  });

  return router;
}
