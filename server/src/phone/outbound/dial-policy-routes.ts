import { Router } from 'express';
import { DialPolicySchema, DoNotCallInputSchema, E164Schema } from '@parley/contracts';
import { tenantOf } from '../../tenants/request-tenant.js';
import { parseBody } from '../../http/validate.js';

/** Admin: the tenant's do-not-call list and dial policy. Mounted behind `requireAdmin`. */
export function dialPolicyRoutes(): Router {
  const router = Router();

  router.get('/v1/do-not-call', async (_req, res) => {
    res.json({ data: await tenantOf(res).dialRules.listDoNotCall() });
  });

  router.put('/v1/do-not-call/:e164', async (req, res) => {
    const e164 = parseBody(E164Schema, req.params.e164);
    const { reason } = parseBody(DoNotCallInputSchema, req.body ?? {});
    res.json(await tenantOf(res).dialRules.addDoNotCall(e164, reason));
  });

  router.delete('/v1/do-not-call/:e164', async (req, res) => {
    await tenantOf(res).dialRules.removeDoNotCall(parseBody(E164Schema, req.params.e164));
    res.status(204).end();
  });

  router.get('/v1/dial-policy', async (_req, res) => {
    res.json(await tenantOf(res).dialRules.policy());
  });

  router.put('/v1/dial-policy', async (req, res) => {
    const policy = parseBody(DialPolicySchema, req.body);
    res.json(await tenantOf(res).dialRules.setPolicy(policy));
  });

  return router;
}
