import { z } from 'zod';
import {
  ContinueOnPhoneRequestSchema,
  ContinueOnPhoneResponseSchema,
  DialPolicySchema,
  DoNotCallEntrySchema,
  DoNotCallInputSchema,
  E164Schema,
  OutboundCallRequestSchema,
  OutboundCallResponseSchema,
  OutboundTrunkInputSchema,
  OutboundTrunkNameSchema,
  OutboundTrunkSchema,
  TransferDialRequestSchema,
  TransferDialResultSchema,
  listOf,
} from '@parley/contracts';
import type { RouteDoc } from '../../openapi/route-doc.js';

const tag = 'Outbound calls';
const E164Params = z.object({ e164: E164Schema });
const TrunkParams = z.object({ name: OutboundTrunkNameSchema });

/** Outbound phone calls: trunks, dial rules, placing calls, transfers, continue on the phone. */
export const OUTBOUND_PHONE_API: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/outbound-trunks',
    summary: "The tenant's outbound trunks, by name",
    description:
      'The first is the default for calls that name no trunk. Passwords are never answered.',
    tag,
    auth: 'admin',
    responses: { 200: { description: 'every trunk', schema: listOf(OutboundTrunkSchema) } },
  },
  {
    method: 'get',
    path: '/v1/outbound-trunks/:name',
    summary: 'An outbound trunk',
    tag,
    auth: 'admin',
    params: TrunkParams,
    responses: { 200: { description: 'the trunk', schema: OutboundTrunkSchema } },
    errors: ['invalid_request', 'not_found'],
  },
  {
    method: 'put',
    path: '/v1/outbound-trunks/:name',
    summary: 'Add or replace an outbound trunk (the carrier Parley dials through)',
    description:
      "Creates LiveKit's outbound trunk first; nothing is stored when LiveKit refuses. The digest " +
      'password is kept as a tenant secret and never answered. Replacing a trunk deletes the ' +
      'LiveKit trunk it had.',
    tag,
    auth: 'admin',
    params: TrunkParams,
    body: OutboundTrunkInputSchema,
    responses: { 200: { description: 'the trunk as stored', schema: OutboundTrunkSchema } },
    errors: ['sip_unavailable'],
  },
  {
    method: 'delete',
    path: '/v1/outbound-trunks/:name',
    summary: "Remove an outbound trunk (and LiveKit's trunk, and its password)",
    tag,
    auth: 'admin',
    params: TrunkParams,
    responses: { 204: { description: 'removed' } },
    errors: ['invalid_request', 'not_found', 'sip_unavailable'],
  },
  {
    method: 'get',
    path: '/v1/do-not-call',
    summary: "The tenant's do-not-call list",
    tag,
    auth: 'admin',
    responses: { 200: { description: 'every number', schema: listOf(DoNotCallEntrySchema) } },
  },
  {
    method: 'put',
    path: '/v1/do-not-call/:e164',
    summary: 'Never dial this number',
    description: 'Outbound calls and "continue on my phone" to it are refused with `do_not_call`.',
    tag,
    auth: 'admin',
    params: E164Params,
    body: DoNotCallInputSchema,
    responses: { 200: { description: 'the entry', schema: DoNotCallEntrySchema } },
  },
  {
    method: 'delete',
    path: '/v1/do-not-call/:e164',
    summary: 'Take a number off the do-not-call list',
    tag,
    auth: 'admin',
    params: E164Params,
    responses: { 204: { description: 'removed' } },
    errors: ['invalid_request', 'not_found'],
  },
  {
    method: 'get',
    path: '/v1/dial-policy',
    summary: "The tenant's dial policy",
    description:
      'Until one is set: no destination may be dialled and 5 phone calls may run at once — a ' +
      'tenant opts in to the destinations it calls (the toll-fraud guard).',
    tag,
    auth: 'admin',
    responses: { 200: { description: 'the policy', schema: DialPolicySchema } },
  },
  {
    method: 'put',
    path: '/v1/dial-policy',
    summary: 'Set the allowed destination prefixes and the phone calls allowed at once',
    tag,
    auth: 'admin',
    body: DialPolicySchema,
    responses: { 200: { description: 'the policy as stored', schema: DialPolicySchema } },
  },
  {
    method: 'post',
    path: '/v1/calls/outbound',
    summary: 'Call a number with a persona',
    description:
      'Checked before anything dials, in this order: the persona exists, the number is not on ' +
      "the do-not-call list, the dial policy allows its prefix, it is within the persona's " +
      'calling hours (`phone.callingHours`, else its business hours, in its time zone), the ' +
      'tenant is under its concurrent phone calls, and it has an outbound trunk. The call record ' +
      '(`phoneStatus: dialing`) and the agent exist when this answers; the dial goes on, and each ' +
      'status (ringing, answered, no_answer, busy, failed) is stored on the call and sent as ' +
      '`call.phone_status`. A call nobody answered is closed (`abandoned`, or `failed`).',
    tag,
    auth: 'admin',
    body: OutboundCallRequestSchema,
    responses: { 202: { description: 'dialling', schema: OutboundCallResponseSchema } },
    errors: [
      'persona_not_found',
      'do_not_call',
      'destination_not_allowed',
      'outside_calling_hours',
      'phone_call_limit',
      'no_outbound_trunk',
      'sip_unavailable',
    ],
  },
  {
    method: 'post',
    path: '/v1/sessions/phone',
    summary: "Continue a web call on the visitor's phone",
    description:
      "`Authorization: Bearer <the visitor's LiveKit token>`: its room and identity name the " +
      'call, and the visitor must still be in it. The persona must allow it ' +
      '(`phone.continueOnPhone`); the do-not-call list, dial policy and concurrent-call limit ' +
      'apply. The phone is dialled into the same room with `parley.leg` = `continue-on-phone`. ' +
      'Rate limited per client address and per call.',
    tag: 'Web sessions',
    auth: 'public',
    body: ContinueOnPhoneRequestSchema,
    responses: { 202: { description: 'dialling', schema: ContinueOnPhoneResponseSchema } },
    errors: [
      'unauthorized',
      'forbidden',
      'conflict',
      'persona_not_found',
      'continue_on_phone_disabled',
      'do_not_call',
      'destination_not_allowed',
      'phone_call_limit',
      'no_outbound_trunk',
      'rate_limited',
      'sip_unavailable',
    ],
  },
  {
    method: 'post',
    path: '/internal/calls/:id/transfer-dial',
    summary: "Ring the persona's transfer target into a room",
    description:
      "Dials the call's persona's `escalation.transferTarget` (never a number from the request) " +
      "through the tenant's outbound trunk, with `parley.leg` = `transfer`, and answers once it " +
      'picked up or after `escalation.ringTimeoutSeconds`. The leg is kept with the call.',
    tag: 'Agent (internal)',
    auth: 'agent',
    body: TransferDialRequestSchema,
    responses: { 200: { description: 'how the dial ended', schema: TransferDialResultSchema } },
    errors: ['not_found', 'persona_not_found', 'conflict', 'no_outbound_trunk', 'sip_unavailable'],
  },
];
