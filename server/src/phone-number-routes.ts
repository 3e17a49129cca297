import { Router } from 'express';
import { AssignPhoneNumberRequestSchema, E164Schema } from './contracts/index.js';
import { tenantOf } from './request-tenant.js';
import { parseBody } from './validate.js';

/** Admin: which persona answers each of the tenant's numbers. Mounted behind `requireAdmin`. */
export function phoneNumberRoutes(): Router {
  const router = Router();

  router.get('/v1/phone-numbers', async (_req, res) => {
    res.json({ data: await tenantOf(res).phoneNumbers.list() });
  });

  /** Adds the number, or points it at another persona; the persona must exist. */
  router.put('/v1/phone-numbers/:e164', async (req, res) => {
    const e164 = parseBody(E164Schema, req.params.e164);
    const body = parseBody(AssignPhoneNumberRequestSchema, req.body);
    res.json(await tenantOf(res).phoneNumbers.assign({ ...body, e164 }));
  });

  router.delete('/v1/phone-numbers/:e164', async (req, res) => {
    await tenantOf(res).phoneNumbers.remove(parseBody(E164Schema, req.params.e164));
    res.status(204).end();
  });

  return router;
}
