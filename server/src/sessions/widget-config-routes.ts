import type { Router } from 'express';
import { WidgetConfigQuerySchema, WidgetConfigSchema, type WidgetConfig } from '@parley/contracts';
import { defineRoute, routerOf } from '../http/define-route.js';
import type { Tenancy } from '../tenants/tenancy.js';
import { assertOriginAllowed } from './origin-policy.js';

export interface WidgetConfigDeps {
  /** Finds the persona the query names, in whichever tenant it names. */
  tenancy: Tenancy;
  /** Development: any localhost page may ask. */
  development: boolean;
}

/**
 * Public `GET /v1/widget-config?persona=ID` (or `tenant-slug/ID`): what the widget shows before it
 * asks for a session (the consent step among it, and whether it offers to continue on the
 * visitor's phone). Same origin policy as `POST /v1/sessions`.
 */
export const WIDGET_CONFIG_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/v1/widget-config',
    summary: 'What the widget shows before it asks for a session',
    description:
      "The persona's name and language, and the consent wording when the persona asks for " +
      'consent before the microphone opens. Same origin policy as `POST /v1/sessions`.',
    tag: 'Web sessions',
    auth: 'public',
    query: WidgetConfigQuerySchema,
    responses: { 200: { description: 'the configuration', schema: WidgetConfigSchema } },
    errors: ['origin_not_allowed', 'persona_not_found'],
    async handler({ req, res, query }, { tenancy, development }: WidgetConfigDeps) {
      const { persona } = await tenancy.persona(query.persona);
      assertOriginAllowed(req, persona, development);
      const { requireConsent, consentText, consentVersion } = persona.disclosure;
      const config: WidgetConfig = {
        persona: { id: persona.id, name: persona.name, language: persona.language },
        ...(requireConsent && { consent: { text: consentText, version: consentVersion } }),
        continueOnPhone: persona.phone.continueOnPhone,
      };
      res.json(config);
    },
  }),
];

export function widgetConfigRoutes(deps: WidgetConfigDeps): Router {
  return routerOf(WIDGET_CONFIG_ROUTES, deps);
}
