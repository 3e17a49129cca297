import express, { type Router } from 'express';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import {
  CampaignContactSchema,
  CampaignContactsInputSchema,
  CampaignInputSchema,
  CampaignSchema,
  ScheduledCallInputSchema,
  ScheduledCallSchema,
  listOf,
  type CampaignContactInput,
} from '@parley/contracts';
import { defineRoute, routerOf } from '../http/define-route.js';
import { parseBody } from '../http/validate.js';
import { ApiError } from '../http/api-error.js';
import { tenantOf } from '../tenants/request-tenant.js';
import type { Tenancy } from '../tenants/tenancy.js';
import { personaOf } from '../phone/outbound/outbound-call-routes.js';
import { assertMayReach } from '../phone/outbound/dial-guards.js';
import { outboundTrunkFor } from '../phone/outbound/outbound-phone.js';
import { announceScheduled } from './reminders.js';

const tag = 'Campaigns';
const auth = 'admin';
const IdParams = z.object({ id: z.string().min(1).max(100) });
const AddedSchema = z.object({ added: z.number().int(), duplicates: z.number().int() });

export interface CampaignRouteDeps {
  tenancy: Tenancy;
  now: () => Date;
}

/**
 * Contacts from a CSV file: a header row naming `number` (or `phone`) and optionally `name`;
 * every other column becomes a variable of the contact.
 */
export function contactsFromCsv(text: string): CampaignContactInput[] {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new ApiError('invalid_request', `the CSV could not be read: ${(err as Error).message}`);
  }
  return rows.map((row, i) => {
    const { name, number, phone, ...variables } = row;
    const e164 = (number ?? phone ?? '').replace(/[\s().-]/g, '');
    if (!e164) throw new ApiError('invalid_request', `row ${i + 2}: no number (or phone) column`);
    return { ...(name && { name }), number: e164, variables };
  });
}

/** Admin: outbound campaigns. Mounted behind `requireAdmin`. */
export const CAMPAIGN_ROUTES = [
  defineRoute({
    method: 'post',
    path: '/v1/campaigns',
    summary: 'Create a campaign (a draft until started)',
    description:
      'A persona calling a list of contacts (`name`, `number`, per-contact `variables` that fill ' +
      "the persona's `{{placeholders}}`), within a calling window in the business time zone (the " +
      "persona's calling hours by default), with at most `maxConcurrentCalls` at once and a " +
      'retry policy. Every attempt is an ordinary call record. The do-not-call list, the calling ' +
      "window, the dial policy and the tenant's concurrent phone calls are checked at each dial.",
    tag,
    auth,
    body: CampaignInputSchema,
    responses: { 201: { description: 'the draft campaign', schema: CampaignSchema } },
    errors: ['persona_not_found', 'no_outbound_trunk'],
    async handler({ res, body }, { tenancy, now }: CampaignRouteDeps) {
      const tenant = tenantOf(res);
      const persona = await personaOf(tenancy, tenant, body.persona);
      // a trunk named must exist when the campaign is made (dials check again)
      if (body.trunk) await outboundTrunkFor(tenant, body.trunk);
      res.status(201).json(await tenant.campaigns.create(body, persona.id, now()));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/campaigns',
    summary: 'Every campaign, newest first, with its progress',
    tag,
    auth,
    responses: { 200: { description: 'the campaigns', schema: listOf(CampaignSchema) } },
    async handler({ res }, _deps: CampaignRouteDeps) {
      res.json({ data: await tenantOf(res).campaigns.list() });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/campaigns/:id',
    summary: 'A campaign with its statistics',
    tag,
    auth,
    params: IdParams,
    responses: { 200: { description: 'the campaign', schema: CampaignSchema } },
    errors: ['not_found'],
    async handler({ res, params }, _deps: CampaignRouteDeps) {
      res.json(await tenantOf(res).campaigns.require(params.id));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/campaigns/:id/contacts',
    summary: "A campaign's contacts, each with its status, outcome and attempts",
    tag,
    auth,
    params: IdParams,
    responses: { 200: { description: 'the contacts', schema: listOf(CampaignContactSchema) } },
    errors: ['not_found'],
    async handler({ res, params }, _deps: CampaignRouteDeps) {
      res.json({ data: await tenantOf(res).campaigns.contacts(params.id) });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/campaigns/:id/contacts',
    summary: 'Add contacts (JSON, or a CSV file)',
    description:
      'As JSON `{ contacts: [{ name?, number, variables? }] }`, or as `text/csv` with a header ' +
      'row: `number` (or `phone`), `name`, and any other column as a variable. A number already ' +
      'in the campaign is not added again.',
    tag,
    auth,
    params: IdParams,
    body: CampaignContactsInputSchema,
    parseBody: false,
    before: [express.text({ type: ['text/csv', 'text/plain'], limit: '2mb' })],
    responses: { 200: { description: 'how many were added', schema: AddedSchema } },
    errors: ['not_found', 'conflict'],
    async handler({ req, res, params }, { now }: CampaignRouteDeps) {
      const contacts =
        typeof req.body === 'string'
          ? parseBody(CampaignContactsInputSchema, { contacts: contactsFromCsv(req.body) }).contacts
          : parseBody(CampaignContactsInputSchema, req.body).contacts;
      res.json(await tenantOf(res).campaigns.addContacts(params.id, contacts, now()));
    },
  }),
  ...(['start', 'pause', 'resume', 'cancel'] as const).map((action) =>
    defineRoute({
      method: 'post',
      path: `/v1/campaigns/:id/${action}`,
      summary: {
        start: 'Start dialling a draft campaign',
        pause: 'Pause a running campaign (calls in progress go on)',
        resume: 'Resume a paused campaign',
        cancel: 'Cancel a campaign: its waiting contacts are skipped (calls in progress go on)',
      }[action],
      tag,
      auth,
      params: IdParams,
      responses: { 200: { description: 'the campaign', schema: CampaignSchema } },
      errors: ['not_found', 'conflict'],
      async handler({ res, params }, { now }: CampaignRouteDeps) {
        const tenant = tenantOf(res);
        await tenant.campaigns.act(params.id, action, now());
        const campaign = await tenant.campaigns.require(params.id);
        if (action === 'start') {
          await tenant.webhooks.enqueue({
            id: `${campaign.id}.started`,
            type: 'campaign.started',
            payload: { campaign },
          });
        }
        res.json(campaign);
      },
    }),
  ),
];

/** Admin: single outbound calls at a given time. Mounted behind `requireAdmin`. */
export const SCHEDULED_CALL_ROUTES = [
  defineRoute({
    method: 'post',
    path: '/v1/scheduled-calls',
    summary: 'Schedule one outbound call',
    description:
      'Dialled once when its time comes (by whichever server replica finds it due first), ' +
      'after the same checks as `POST /v1/calls/outbound`; the call record is then linked as ' +
      '`callId`, or `error` says why it was not placed. The do-not-call list and the dial policy ' +
      'are also checked now. Sends `call.scheduled`.',
    tag,
    auth,
    body: ScheduledCallInputSchema,
    responses: { 201: { description: 'the scheduled call', schema: ScheduledCallSchema } },
    errors: ['persona_not_found', 'do_not_call', 'destination_not_allowed', 'no_outbound_trunk'],
    async handler({ res, body }, { tenancy, now }: CampaignRouteDeps) {
      const tenant = tenantOf(res);
      const persona = await personaOf(tenancy, tenant, body.persona);
      await assertMayReach(tenant.dialRules, body.to);
      if (body.trunk) await outboundTrunkFor(tenant, body.trunk);
      const scheduled = await tenant.scheduledCalls.create(
        {
          kind: 'api',
          personaId: persona.id,
          to: body.to,
          at: new Date(body.at),
          ...(body.from && { from: body.from }),
          ...(body.trunk && { trunk: body.trunk }),
          variables: body.variables ?? {},
          ringTimeoutSeconds: body.ringTimeoutSeconds,
        },
        now(),
      );
      await announceScheduled(tenant, scheduled);
      res.status(201).json(scheduled);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/scheduled-calls',
    summary: 'Scheduled calls: the next due first, then those done',
    tag,
    auth,
    responses: { 200: { description: 'the calls', schema: listOf(ScheduledCallSchema) } },
    async handler({ res }, _deps: CampaignRouteDeps) {
      res.json({ data: await tenantOf(res).scheduledCalls.list() });
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/scheduled-calls/:id',
    summary: 'Cancel a scheduled call that has not been dialled',
    tag,
    auth,
    params: IdParams,
    responses: { 200: { description: 'the cancelled call', schema: ScheduledCallSchema } },
    errors: ['not_found', 'conflict'],
    async handler({ res, params }, _deps: CampaignRouteDeps) {
      res.json(await tenantOf(res).scheduledCalls.cancel(params.id));
    },
  }),
];

export function campaignRoutes(deps: CampaignRouteDeps): Router {
  return routerOf([...CAMPAIGN_ROUTES, ...SCHEDULED_CALL_ROUTES], deps);
}
