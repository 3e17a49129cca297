import type { Router } from 'express';
import { z } from 'zod';
import {
  AssignPhoneNumberRequestSchema,
  E164Schema,
  PhoneNumberSchema,
  listOf,
} from '@parley/contracts';
import { defineRoute, routerOf } from '../http/define-route.js';
import { requireOperator } from '../tenants/bearer-auth.js';
import { tenantOf } from '../tenants/request-tenant.js';
import type { PhoneNumbers } from './phone-numbers.js';

const E164Params = z.object({ e164: E164Schema });
const tag = 'Phone numbers';
const auth = 'admin';

export const ReconcileReportSchema = z.object({
  numbers: z.number().int().describe('assigned numbers, every tenant'),
  repaired: z.array(z.string()).describe('each repair made, as logged'),
  failed: z.array(z.string()).describe('repairs LiveKit refused or could not be asked for'),
  openForeignRules: z
    .array(z.string())
    .describe("dispatch rules not Parley's that name no trunk: they admit any caller"),
});

/**
 * Admin: which persona answers each of the tenant's numbers. Mounted behind `requireAdmin`; the
 * number in the path and the body are checked by `PhoneNumbers`, which keeps LiveKit in step.
 */
export const PHONE_NUMBER_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/phone-numbers',
    summary: "List the tenant's phone numbers and the persona answering each",
    tag,
    auth,
    responses: { 200: { description: 'every number', schema: listOf(PhoneNumberSchema) } },
    async handler({ res }, numbers: PhoneNumbers) {
      res.json({ data: await numbers.list(tenantOf(res)) });
    },
  }),
  /** Operator: repairs LiveKit's trunks and rules against every tenant's numbers. */
  defineRoute({
    method: 'post',
    path: '/v1/phone-numbers/reconcile',
    summary: "Operator: repair LiveKit's trunks and rules against every tenant's numbers",
    description:
      'What the server also does on start: missing trunks and rules are created, drifted ones ' +
      "updated, and Parley's objects for numbers no longer assigned deleted.",
    tag,
    auth,
    before: [requireOperator],
    responses: { 200: { description: 'what was repaired', schema: ReconcileReportSchema } },
    errors: ['forbidden', 'sip_unavailable'],
    async handler({ res }, numbers: PhoneNumbers) {
      res.json(await numbers.reconcile());
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/phone-numbers/:e164',
    summary: 'Get a number, with its LiveKit trunk and dispatch rule',
    tag,
    auth,
    params: E164Params,
    responses: { 200: { description: 'the number', schema: PhoneNumberSchema } },
    errors: ['invalid_request', 'not_found'],
    async handler({ res, params }, numbers: PhoneNumbers) {
      res.json(await numbers.get(tenantOf(res), params.e164));
    },
  }),
  /** Adds the number, or points it at another persona; provisions LiveKit's trunk and rule. */
  defineRoute({
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
    auth,
    params: E164Params,
    body: AssignPhoneNumberRequestSchema,
    // `PhoneNumbers.assign` checks the number in the path before the body.
    parseBody: false,
    responses: { 200: { description: 'the number', schema: PhoneNumberSchema } },
    errors: ['persona_not_found', 'conflict', 'unrestricted_trunk', 'sip_unavailable'],
    async handler({ req, res, params }, numbers: PhoneNumbers) {
      res.json(await numbers.assign(tenantOf(res), params.e164, req.body));
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/phone-numbers/:e164',
    summary: 'Remove a number, with its LiveKit trunk and dispatch rule',
    tag,
    auth,
    params: E164Params,
    responses: { 204: { description: 'removed' } },
    errors: ['invalid_request', 'not_found', 'sip_unavailable'],
    async handler({ res, params }, numbers: PhoneNumbers) {
      await numbers.remove(tenantOf(res), params.e164);
      res.status(204).end();
    },
  }),
];

export function phoneNumberRoutes(numbers: PhoneNumbers): Router {
  return routerOf(PHONE_NUMBER_ROUTES, numbers);
}
