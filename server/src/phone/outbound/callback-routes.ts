import type { Router } from 'express';
import {
  INTERNAL_ROUTES,
  ScheduleCallbackRequestSchema,
  ScheduledCallbackSchema,
} from '@parley/contracts';
import { defineRoute, routerOf } from '../../http/define-route.js';
import { tenantOf } from '../../tenants/request-tenant.js';
import { scheduleCallback } from './callbacks.js';

/**
 * Agent: `POST /internal/calls/:id/callbacks`, the `schedule_callback` tool. Mounted inside
 * `internalRoutes`, after the middleware that binds the call's tenant.
 */
export const CALLBACK_ROUTES = [
  defineRoute({
    method: 'post',
    path: INTERNAL_ROUTES.callCallbacks,
    summary: 'Schedule a call back to the caller (they asked to be called back)',
    description:
      "A scheduled call of kind `callback` to the call's own number (a phone call's caller, or " +
      'the phone a web visitor continued on; never one from the request), linked by ' +
      "`requestedInCallId`, with the call's variables and `callback_context`. A time outside " +
      "the persona's calling hours moves to the start of the next ones. The do-not-call list, " +
      'the dial policy and the trunk are checked now and again at the dial. One per call: ' +
      'another time replaces the waiting one; the same time again answers it (200). Sends ' +
      '`call.scheduled`.',
    tag: 'Agent (internal)',
    auth: 'agent',
    body: ScheduleCallbackRequestSchema,
    responses: {
      201: { description: 'scheduled', schema: ScheduledCallbackSchema },
      200: { description: 'this call back was already scheduled', schema: ScheduledCallbackSchema },
    },
    errors: [
      'not_found',
      'persona_not_found',
      'no_caller_number',
      'do_not_call',
      'destination_not_allowed',
      'no_outbound_trunk',
      'in_the_past',
      'outside_calling_hours',
    ],
    async handler({ res, params, body }) {
      const request = { at: new Date(body.at), ...(body.context && { context: body.context }) };
      const result = await scheduleCallback(tenantOf(res), params.id, request, new Date());
      res.status(result.created ? 201 : 200).json({
        scheduledCall: result.scheduledCall,
        movedIntoCallingHours: result.moved,
      });
    },
  }),
];

export function callbackRoutes(): Router {
  return routerOf(CALLBACK_ROUTES, undefined);
}
