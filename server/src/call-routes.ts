import { Router } from 'express';
import { ApiError } from './api-error.js';
import { CallListQuerySchema, type CallRepo } from './storage/index.js';
import { parseBody } from './validate.js';

/** Admin: the call history, web and phone alike. The caller mounts it behind the admin key. */
export function callRoutes(calls: CallRepo): Router {
  const router = Router();

  router.get('/v1/calls', async (req, res) => {
    const page = await calls.list(parseBody(CallListQuerySchema, req.query));
    res.json(page);
  });

  router.get('/v1/calls/:id', async (req, res) => {
    const call = await calls.get(req.params.id);
    if (!call) throw new ApiError('not_found', `no call '${req.params.id}'`);
    res.json(call);
  });

  return router;
}
