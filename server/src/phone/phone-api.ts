import { z } from 'zod';
import {
  AssignPhoneNumberRequestSchema,
  CallLegReportSchema,
  CallLegSchema,
  CallWarningReportSchema,
  CallWarningSchema,
  CallerHistoryQuerySchema,
  CallerHistorySchema,
  E164Schema,
  PhoneNumberSchema,
  listOf,
} from '@parley/contracts';
import type { RouteDoc } from '../openapi/route-doc.js';

const E164Params = z.object({ e164: E164Schema });
const tag = 'Phone numbers';

export const ReconcileReportSchema = z.object({
  numbers: z.number().int().describe('assigned numbers, every tenant'),
  repaired: z.array(z.string()).describe('each repair made, as logged'),
  failed: z.array(z.string()).describe('repairs LiveKit refused or could not be asked for'),
  openForeignRules: z
    .array(z.string())
    .describe("dispatch rules not Parley's that name no trunk: they admit any caller"),
});

/** Numbers routed to personas (admin) and what the agent reports about phone calls (internal). */
export const PHONE_API: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/phone-numbers',
    summary: "List the tenant's phone numbers and the persona answering each",
    tag,
    auth: 'admin',
    responses: { 200: { description: 'every number', schema: listOf(PhoneNumberSchema) } },
  },
  {
    method: 'get',
    path: '/v1/phone-numbers/:e164',
    summary: 'Get a number, with its LiveKit trunk and dispatch rule',
    tag,
    auth: 'admin',
    params: E164Params,
    responses: { 200: { description: 'the number', schema: PhoneNumberSchema } },
    errors: ['invalid_request', 'not_found'],
  },
  {
    method: 'put',
    path: '/v1/phone-numbers/:e164',
    summary: 'Add a number, or point it at another persona',
    description:
      'The path names the number in E.164 (`+14155550123`, URL-encoded `%2B…`). Provisions ' +
      "LiveKit's restricted inbound trunk for the number (the body's `allowedAddresses`, else " +
      "the server's `PARLEY_SIP_ALLOWED_ADDRESSES`, and/or digest credentials) and an individual " +
      'dispatch rule naming that trunk, which starts agent `parley` with the persona. A number ' +
      'nobody is restricted from is refused. The password is kept as the tenant secret ' +
      '`SIP_INBOUND_<digits>` and never answered; sending the same `authUsername` without a ' +
      'password keeps the stored one. Nothing is stored when LiveKit cannot be reached.',
    tag,
    auth: 'admin',
    params: E164Params,
    body: AssignPhoneNumberRequestSchema,
    responses: { 200: { description: 'the number', schema: PhoneNumberSchema } },
    errors: ['persona_not_found', 'conflict', 'unrestricted_trunk', 'sip_unavailable'],
  },
  {
    method: 'delete',
    path: '/v1/phone-numbers/:e164',
    summary: 'Remove a number, with its LiveKit trunk and dispatch rule',
    tag,
    auth: 'admin',
    params: E164Params,
    responses: { 204: { description: 'removed' } },
    errors: ['invalid_request', 'not_found', 'sip_unavailable'],
  },
  {
    method: 'post',
    path: '/v1/phone-numbers/reconcile',
    summary: "Operator: repair LiveKit's trunks and rules against every tenant's numbers",
    description:
      'What the server also does on start: missing trunks and rules are created, drifted ones ' +
      "updated, and Parley's objects for numbers no longer assigned deleted.",
    tag,
    auth: 'admin',
    responses: { 200: { description: 'what was repaired', schema: ReconcileReportSchema } },
    errors: ['forbidden', 'sip_unavailable'],
  },
  {
    method: 'get',
    path: '/internal/caller-history',
    summary: "What Parley remembers of a phone caller: the number's earlier calls in the tenant",
    tag: 'Agent (internal)',
    auth: 'agent',
    query: CallerHistoryQuerySchema,
    responses: { 200: { description: 'earlier ended calls', schema: CallerHistorySchema } },
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/internal/calls/:id/legs',
    summary: 'Report a participant leg of a call (upserted by identity)',
    description:
      'A later report of the same identity moves its status on and fills in what was missing; ' +
      'its start time stays the first one given.',
    tag: 'Agent (internal)',
    auth: 'agent',
    body: CallLegReportSchema,
    responses: { 200: { description: 'the leg as stored', schema: CallLegSchema } },
    errors: ['not_found'],
  },
  {
    method: 'post',
    path: '/internal/calls/:id/warnings',
    summary: 'Keep a warning with a call (narrowband audio, a failed transfer…)',
    description: 'The same warning reported again is kept once.',
    tag: 'Agent (internal)',
    auth: 'agent',
    body: CallWarningReportSchema,
    responses: { 200: { description: 'the warning as stored', schema: CallWarningSchema } },
    errors: ['not_found'],
  },
];
