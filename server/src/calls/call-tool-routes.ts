import type { Router } from 'express';
import {
  AppointmentSchema,
  AvailabilityQuerySchema,
  AvailabilitySchema,
  BookAppointmentRequestSchema,
  CaptureLeadRequestSchema,
  INTERNAL_ROUTES,
  LeadSchema,
  RunWebhookToolRequestSchema,
  WebhookToolResultSchema,
} from '@parley/contracts';
import { availability, bookForCall } from '../booking/booking.js';
import { scheduleReminders } from '../campaigns/reminders.js';
import { ApiError } from '../http/api-error.js';
import { defineRoute, routerOf } from '../http/define-route.js';
import type { OutgoingGuard } from '../http/outgoing-guard.js';
import { callWithPersona } from '../personas/call-persona.js';
import { tenantOf } from '../tenants/request-tenant.js';
import { WebhookToolRunner } from '../webhooks/webhook-tool-runner.js';

export interface CallToolDeps {
  /** Where webhook tools may connect. */
  outgoing: OutgoingGuard;
}

const tag = 'Agent (internal)';
const auth = 'agent';

/**
 * What the agent's tools do on the server, for one call: capture a lead, look up free slots,
 * book an appointment, run a webhook tool. Mounted behind the agent's service credential, after
 * the middleware that binds each request to its call's tenant; `lead.captured` and
 * `appointment.booked` go to that tenant's webhook endpoints.
 */
export const CALL_TOOL_ROUTES = [
  defineRoute({
    method: 'post',
    path: INTERNAL_ROUTES.callLeads,
    summary: 'Capture a lead for a call (idempotent per key)',
    description:
      "Queues `lead.captured` and raises the call's lead temperature when the lead is hotter.",
    tag,
    auth,
    body: CaptureLeadRequestSchema,
    responses: {
      201: { description: 'captured', schema: LeadSchema },
      200: { description: 'a lead with this key was already captured', schema: LeadSchema },
    },
    errors: ['not_found'],
    async handler({ res, params, body: { key, lead } }, _deps: CallToolDeps) {
      const { calls, leads, webhooks } = tenantOf(res);
      const { budget, isDecisionMaker, timelineDays, score, signals } = lead;
      const captured = await leads.capture(params.id, key, {
        name: lead.name,
        email: lead.email,
        phone: lead.phone,
        company: lead.company,
        notes: lead.need,
        temperature: lead.temperature,
        data: { budget, isDecisionMaker, timelineDays, score, signals },
      });
      const stored = captured.lead;
      if (stored.temperature) await calls.raiseLeadTemperature(params.id, stored.temperature);
      // The lead's id makes the event id stable: a retried capture queues nothing new.
      await webhooks.enqueue({
        id: `${stored.id}.captured`,
        type: 'lead.captured',
        payload: { lead: stored },
      });
      res.status(captured.created ? 201 : 200).json(stored);
    },
  }),
  defineRoute({
    method: 'get',
    path: INTERNAL_ROUTES.callAvailability,
    summary: "Free appointment slots in the call's persona business hours",
    tag,
    auth,
    query: AvailabilityQuerySchema,
    responses: { 200: { description: 'free slots, soonest first', schema: AvailabilitySchema } },
    errors: ['not_found', 'persona_not_found', 'no_business_hours'],
    async handler({ res, params, query }, _deps: CallToolDeps) {
      const { calls, personas, appointments } = tenantOf(res);
      const { persona } = await callWithPersona(calls, personas, params.id);
      res.json(await availability(appointments, persona, query));
    },
  }),
  defineRoute({
    method: 'post',
    path: INTERNAL_ROUTES.callAppointments,
    summary: 'Book an appointment for a call (idempotent per key)',
    description:
      "Lasts the persona's `businessHours.appointmentMinutes`; queues `appointment.booked`. " +
      'A refused booking names the next free slots in its message.',
    tag,
    auth,
    body: BookAppointmentRequestSchema,
    responses: {
      201: { description: 'booked', schema: AppointmentSchema },
      200: {
        description: 'an appointment with this key was already booked',
        schema: AppointmentSchema,
      },
    },
    errors: [
      'not_found',
      'persona_not_found',
      'no_business_hours',
      'slot_taken',
      'outside_business_hours',
      'in_the_past',
    ],
    async handler({ res, params, body: { key, appointment: args } }, _deps: CallToolDeps) {
      const { calls, personas, appointments, webhooks } = tenantOf(res);
      const { call, persona } = await callWithPersona(calls, personas, params.id);
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
      if (created) {
        await scheduleReminders(
          tenantOf(res),
          persona,
          appointment,
          call.caller.phoneNumber,
          new Date(),
        );
      }
      res.status(created ? 201 : 200).json(appointment);
    },
  }),
  defineRoute({
    method: 'post',
    path: INTERNAL_ROUTES.callTool,
    summary: "Run one of the call's persona webhook tools",
    description:
      "Calls the tool's endpoint (GET: arguments as the query string; otherwise a JSON body " +
      '`{ args, call }`), with `{{secret.NAME}}` headers filled in and signed like outgoing ' +
      "webhooks; redirects are not followed. The endpoint's JSON answer, or its text (at most " +
      '8 KB), is the result. Only public addresses (and ranges the operator allows) are ' +
      'called: a loopback, private, link-local or metadata address fails as `tool_failed`.',
    tag,
    auth,
    body: RunWebhookToolRequestSchema,
    responses: { 200: { description: "the endpoint's answer", schema: WebhookToolResultSchema } },
    errors: [
      'not_found',
      'persona_not_found',
      'tool_not_found',
      'secret_missing',
      'tool_failed',
      'tool_timeout',
    ],
    async handler({ res, params, body: { args } }, { outgoing }: CallToolDeps) {
      const { calls, personas, secrets } = tenantOf(res);
      const { call, persona } = await callWithPersona(calls, personas, params.id);
      const tool = persona.webhookTools.find((t) => t.name === params.name);
      if (!tool) {
        throw new ApiError(
          'tool_not_found',
          `persona '${persona.id}' has no webhook tool '${params.name}'`,
        );
      }
      // Webhook tools sign with and fill headers from the call's tenant's secrets.
      const result = await new WebhookToolRunner(secrets, outgoing).run(tool, args, {
        id: call.id,
        personaId: call.personaId,
        channel: call.channel,
      });
      res.json({ result });
    },
  }),
];

export function callToolRoutes(deps: CallToolDeps): Router {
  return routerOf(CALL_TOOL_ROUTES, deps);
}
