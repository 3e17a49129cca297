import {
  AppointmentSchema,
  AvailabilityQuerySchema,
  AvailabilitySchema,
  BookAppointmentRequestSchema,
  CallCloseSchema,
  CallInputSchema,
  CaptureLeadRequestSchema,
  LeadSchema,
  PersonaSchema,
  RunWebhookToolRequestSchema,
  WebhookToolResultSchema,
  CallSchema,
  TurnSchema,
} from '@parley/contracts';
import { HeartbeatSchema, PersonaQuerySchema, TurnAppendSchema } from '../calls/internal-routes.js';
import type { RouteDoc } from './route-doc.js';

const tag = 'Agent (internal)';
const auth = 'agent';

/** What the agent worker calls, behind its service key (agent/src/calls/README.md). */
export const AGENT_API: RouteDoc[] = [
  {
    method: 'get',
    path: '/internal/personas/:id',
    summary: 'The persona a job runs',
    description: "In the tenant the dispatch named (`tenant`), the default tenant's without it.",
    tag,
    auth,
    query: PersonaQuerySchema,
    responses: { 200: { description: 'the persona', schema: PersonaSchema } },
    errors: ['persona_not_found'],
  },
  {
    method: 'post',
    path: '/internal/workers/heartbeat',
    summary: 'A worker says it is registered with LiveKit (feeds /healthz)',
    tag,
    auth,
    body: HeartbeatSchema,
    responses: { 204: { description: 'noted' } },
  },
  {
    method: 'post',
    path: '/internal/calls',
    summary: "Start a room's call record (idempotent per room)",
    description: 'Queues the `call.started` webhook.',
    tag,
    auth,
    body: CallInputSchema,
    responses: {
      201: { description: 'started', schema: CallSchema },
      200: { description: 'the room already had this call', schema: CallSchema },
    },
    errors: ['persona_not_found'],
  },
  {
    method: 'post',
    path: '/internal/calls/:id/turns',
    summary: 'Append a turn (idempotent per key)',
    tag,
    auth,
    body: TurnAppendSchema,
    responses: {
      201: { description: 'appended', schema: TurnSchema },
      200: { description: 'a turn with this key was already there', schema: TurnSchema },
    },
    errors: ['not_found', 'conflict'],
  },
  {
    method: 'post',
    path: '/internal/calls/:id/close',
    summary: 'End a call (outcome, summary, lead temperature, cost)',
    description: 'Queues the `call.ended` webhook. The first close by the agent wins.',
    tag,
    auth,
    body: CallCloseSchema,
    responses: { 200: { description: 'the ended call', schema: CallSchema } },
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/internal/calls/:id/leads',
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
  },
  {
    method: 'get',
    path: '/internal/calls/:id/availability',
    summary: "Free appointment slots in the call's persona business hours",
    tag,
    auth,
    query: AvailabilityQuerySchema,
    responses: { 200: { description: 'free slots, soonest first', schema: AvailabilitySchema } },
    errors: ['not_found', 'persona_not_found', 'no_business_hours'],
  },
  {
    method: 'post',
    path: '/internal/calls/:id/appointments',
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
  },
  {
    method: 'post',
    path: '/internal/calls/:id/tools/:name',
    summary: "Run one of the call's persona webhook tools",
    description:
      "Calls the tool's endpoint (GET: arguments as the query string; otherwise a JSON body " +
      '`{ args, call }`), with `{{secret.NAME}}` headers filled in and signed like outgoing ' +
      "webhooks; redirects are not followed. The endpoint's JSON answer, or its text (at most " +
      '8 KB), is the result.',
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
  },
];
