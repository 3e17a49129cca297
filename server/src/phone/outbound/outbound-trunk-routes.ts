import { createHash } from 'node:crypto';
import type { Router } from 'express';
import { z } from 'zod';
import { ApiError } from '../../http/api-error.js';
import {
  OutboundTrunkInputSchema,
  OutboundTrunkNameSchema,
  OutboundTrunkSchema,
  listOf,
  type OutboundTrunk,
} from '@parley/contracts';
import { defineRoute, routerOf } from '../../http/define-route.js';
import { tenantOf } from '../../tenants/request-tenant.js';
import type { TenantStorage } from '../../storage/index.js';
import { parseBody } from '../../http/validate.js';
import { publicTrunk } from './outbound-trunk-repo.js';
import type { PhoneDialer } from './phone-dialer.js';

/** The tenant secret that keeps a trunk's digest password (secret names stop at 64 characters). */
export function trunkSecretName(name: string): string {
  const upper = name.toUpperCase().replace(/-/g, '_');
  if (upper.length <= 51) return `SIP_OUTBOUND_${upper}`;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 10).toUpperCase();
  return `SIP_OUTBOUND_${upper.slice(0, 40)}_${hash}`;
}

/**
 * Creates the trunk in LiveKit, then stores it; a trunk of the same name is replaced (its
 * LiveKit trunk deleted once the new one is stored). Nothing is stored when LiveKit refuses.
 */
async function putTrunk(
  tenant: TenantStorage,
  dialer: PhoneDialer,
  name: string,
  body: unknown,
): Promise<OutboundTrunk> {
  const input = parseBody(OutboundTrunkInputSchema, body);
  const previous = await tenant.outboundTrunks.get(name);
  const { trunkId } = await dialer.createOutboundTrunk({
    name: `parley:${tenant.tenantId}:${name}`,
    address: input.address,
    numbers: input.numbers,
    transport: input.transport,
    ...(input.authUsername && { authUsername: input.authUsername }),
    ...(input.authPassword && { authPassword: input.authPassword }),
    metadata: JSON.stringify({ parley: 'outbound-trunk', tenantId: tenant.tenantId, name }),
  });
  let stored;
  try {
    const authSecret = input.authPassword ? trunkSecretName(name) : undefined;
    if (authSecret && input.authPassword) await tenant.secrets.put(authSecret, input.authPassword);
    stored = await tenant.outboundTrunks.put({
      name,
      address: input.address,
      numbers: input.numbers,
      transport: input.transport,
      ...(input.authUsername && { authUsername: input.authUsername }),
      ...(authSecret && { authSecret }),
      trunkId,
    });
  } catch (err) {
    await dialer.deleteOutboundTrunk(trunkId);
    throw err;
  }
  if (previous) {
    await dialer.deleteOutboundTrunk(previous.trunkId);
    if (previous.authSecret && previous.authSecret !== stored.authSecret) {
      await tenant.secrets.remove(previous.authSecret).catch(() => undefined);
    }
  }
  return publicTrunk(stored);
}

const tag = 'Outbound calls';
const auth = 'admin';
const TrunkParams = z.object({ name: OutboundTrunkNameSchema });

/** Admin: the carriers the tenant dials out through. Mounted behind `requireAdmin`. */
export const OUTBOUND_TRUNK_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/outbound-trunks',
    summary: "The tenant's outbound trunks, by name",
    description:
      'The first is the default for calls that name no trunk. Passwords are never answered.',
    tag,
    auth,
    responses: { 200: { description: 'every trunk', schema: listOf(OutboundTrunkSchema) } },
    async handler({ res }, _dialer: PhoneDialer) {
      res.json({ data: (await tenantOf(res).outboundTrunks.list()).map(publicTrunk) });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/outbound-trunks/:name',
    summary: 'An outbound trunk',
    tag,
    auth,
    params: TrunkParams,
    responses: { 200: { description: 'the trunk', schema: OutboundTrunkSchema } },
    errors: ['invalid_request', 'not_found'],
    async handler({ res, params }, _dialer: PhoneDialer) {
      const name = parseBody(OutboundTrunkNameSchema, params.name);
      const trunk = await tenantOf(res).outboundTrunks.get(name);
      if (!trunk) throw new ApiError('not_found', `no outbound trunk '${name}'`);
      res.json(publicTrunk(trunk));
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/outbound-trunks/:name',
    summary: 'Add or replace an outbound trunk (the carrier Parley dials through)',
    description:
      "Creates LiveKit's outbound trunk first; nothing is stored when LiveKit refuses. The digest " +
      'password is kept as a tenant secret and never answered. Replacing a trunk deletes the ' +
      'LiveKit trunk it had.',
    tag,
    auth,
    params: TrunkParams,
    body: OutboundTrunkInputSchema,
    // The name in the path is checked before the body.
    parseBody: false,
    responses: { 200: { description: 'the trunk as stored', schema: OutboundTrunkSchema } },
    errors: ['sip_unavailable'],
    async handler({ req, res, params }, dialer: PhoneDialer) {
      const name = parseBody(OutboundTrunkNameSchema, params.name);
      res.json(await putTrunk(tenantOf(res), dialer, name, req.body));
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/outbound-trunks/:name',
    summary: "Remove an outbound trunk (and LiveKit's trunk, and its password)",
    tag,
    auth,
    params: TrunkParams,
    responses: { 204: { description: 'removed' } },
    errors: ['invalid_request', 'not_found', 'sip_unavailable'],
    async handler({ res, params }, dialer: PhoneDialer) {
      const tenant = tenantOf(res);
      const name = parseBody(OutboundTrunkNameSchema, params.name);
      const trunk = await tenant.outboundTrunks.get(name);
      if (trunk) await dialer.deleteOutboundTrunk(trunk.trunkId);
      const removed = await tenant.outboundTrunks.remove(name);
      if (removed.authSecret)
        await tenant.secrets.remove(removed.authSecret).catch(() => undefined);
      res.status(204).end();
    },
  }),
];

export function outboundTrunkRoutes(dialer: PhoneDialer): Router {
  return routerOf(OUTBOUND_TRUNK_ROUTES, dialer);
}
