import { createHash } from 'node:crypto';
import { Router } from 'express';
import { ApiError } from '../../http/api-error.js';
import {
  OutboundTrunkInputSchema,
  OutboundTrunkNameSchema,
  type OutboundTrunk,
} from '@parley/contracts';
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

/** Admin: the carriers the tenant dials out through. Mounted behind `requireAdmin`. */
export function outboundTrunkRoutes(dialer: PhoneDialer): Router {
  const router = Router();

  router.get('/v1/outbound-trunks', async (_req, res) => {
    res.json({ data: (await tenantOf(res).outboundTrunks.list()).map(publicTrunk) });
  });

  router.get('/v1/outbound-trunks/:name', async (req, res) => {
    const name = parseBody(OutboundTrunkNameSchema, req.params.name);
    const trunk = await tenantOf(res).outboundTrunks.get(name);
    if (!trunk) throw new ApiError('not_found', `no outbound trunk '${name}'`);
    res.json(publicTrunk(trunk));
  });

  router.put('/v1/outbound-trunks/:name', async (req, res) => {
    const name = parseBody(OutboundTrunkNameSchema, req.params.name);
    res.json(await putTrunk(tenantOf(res), dialer, name, req.body));
  });

  router.delete('/v1/outbound-trunks/:name', async (req, res) => {
    const tenant = tenantOf(res);
    const name = parseBody(OutboundTrunkNameSchema, req.params.name);
    const trunk = await tenant.outboundTrunks.get(name);
    if (trunk) await dialer.deleteOutboundTrunk(trunk.trunkId);
    const removed = await tenant.outboundTrunks.remove(name);
    if (removed.authSecret) await tenant.secrets.remove(removed.authSecret).catch(() => undefined);
    res.status(204).end();
  });

  return router;
}
