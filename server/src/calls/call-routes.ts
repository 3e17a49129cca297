import type { Router } from 'express';
import {
  CallRecordSchema,
  CallSchema,
  pageOf,
  type CallRecord,
  CallListQuerySchema,
} from '@parley/contracts';
import { ApiError } from '../http/api-error.js';
import { defineRoute, routerOf } from '../http/define-route.js';
import { tenantOf } from '../tenants/request-tenant.js';

const auth = 'admin';
const tag = 'Calls';

/** Admin: the tenant's call history, web and phone alike. Mounted behind `requireAdmin`. */
export const CALL_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/calls',
    summary: 'List calls, newest first, web and phone alike',
    tag,
    auth,
    query: CallListQuerySchema,
    responses: { 200: { description: 'one page of calls', schema: pageOf(CallSchema) } },
    async handler({ res, query }) {
      res.json(await tenantOf(res).calls.list(query));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/calls/:id',
    summary: 'Get a call with its transcript, turns and per-turn latency',
    description:
      'With the participants LiveKit saw join and leave, the leads and appointments the call ' +
      'produced, the consent receipt when the persona asked for consent, and the campaign ' +
      'that dialled it, if one did.',
    tag,
    auth,
    responses: { 200: { description: 'the call', schema: CallRecordSchema } },
    errors: ['not_found'],
    async handler({ res, params }) {
      const records = tenantOf(res);
      const call = await records.calls.get(params.id);
      if (!call) throw new ApiError('not_found', `no call '${params.id}'`);
      const [events, leads, appointments, consents, campaign] = await Promise.all([
        records.callEvents.listForCall(call.id),
        records.leads.list({ callId: call.id, limit: 100 }),
        records.appointments.list({ callId: call.id }),
        records.consents.listForCall(call.id),
        records.campaigns.attemptOf(call.id),
      ]);
      const consent = consents.at(-1);
      const record: CallRecord = {
        ...call,
        events,
        leads: leads.items,
        appointments,
        ...(consent && { consent }),
        ...(campaign && { campaign }),
      };
      res.json(record);
    },
  }),
];

export function callRoutes(): Router {
  return routerOf(CALL_ROUTES, undefined);
}
