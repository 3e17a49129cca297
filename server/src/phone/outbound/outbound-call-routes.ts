import type { Router } from 'express';
import { ApiError } from '../../http/api-error.js';
import {
  OutboundCallRequestSchema,
  OutboundCallResponseSchema,
  type Persona,
} from '@parley/contracts';
import { defineRoute, routerOf } from '../../http/define-route.js';
import { tenantOf } from '../../tenants/request-tenant.js';
import type { TenantStorage } from '../../storage/index.js';
import type { Tenancy } from '../../tenants/tenancy.js';
import type { OutboundPhone } from './outbound-phone.js';

/**
 * The persona a call names: one of the tenant's own by id, or `<slug>/<id>` when the slug is the
 * tenant's (another tenant's persona is as unknown as a missing one).
 */
export async function personaOf(
  tenancy: Tenancy,
  tenant: TenantStorage,
  ref: string,
): Promise<Persona> {
  const notFound = new ApiError('persona_not_found', `no persona '${ref}'`);
  const slash = ref.indexOf('/');
  if (slash >= 0) {
    const owner = await tenancy.tenants.get(tenant.tenantId);
    if (owner?.slug !== ref.slice(0, slash)) throw notFound;
  }
  const persona = await tenant.personas.get(ref.slice(slash + 1));
  if (!persona) throw notFound;
  return persona;
}

interface OutboundCallDeps {
  tenancy: Tenancy;
  outbound: OutboundPhone;
}

/** Admin: `POST /v1/calls/outbound`. Mounted behind `requireAdmin` (with `/v1/calls`). */
export const OUTBOUND_CALL_ROUTES = [
  defineRoute({
    method: 'post',
    path: '/v1/calls/outbound',
    summary: 'Call a number with a persona',
    description:
      'Checked before anything dials, in this order: the persona exists, the number is not on ' +
      "the do-not-call list, the dial policy allows its prefix, it is within the persona's " +
      'calling hours (`phone.callingHours`, else its business hours, in its time zone), the ' +
      'tenant is under its concurrent phone calls, it has an outbound trunk, and an agent ' +
      'worker has a free slot (else 503 `at_capacity` with `Retry-After`, as for a web ' +
      'session). The call record (`phoneStatus: dialing`) and the agent exist when this ' +
      'answers; the dial goes on, and each ' +
      'status (ringing, answered, no_answer, busy, failed) is stored on the call and sent as ' +
      '`call.phone_status`. A call nobody answered is closed (`abandoned`, or `failed`).',
    tag: 'Outbound calls',
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
      'at_capacity',
      'sip_unavailable',
    ],
    async handler({ res, body: request }, { tenancy, outbound }: OutboundCallDeps) {
      const tenant = tenantOf(res);
      const persona = await personaOf(tenancy, tenant, request.persona);
      // The default tenant's dispatches name no tenant, as its web sessions' do not.
      const hint = tenant.tenantId === tenancy.defaultTenantId ? undefined : tenant.tenantId;
      res.status(202).json(await outbound.placeCall(tenant, persona, request, hint));
    },
  }),
];

export function outboundCallRoutes(tenancy: Tenancy, outbound: OutboundPhone): Router {
  return routerOf(OUTBOUND_CALL_ROUTES, { tenancy, outbound });
}
