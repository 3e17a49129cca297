import { Router } from 'express';
import { WidgetConfigQuerySchema, type WidgetConfig } from '@parley/contracts';
import { assertOriginAllowed } from './origin-policy.js';
import type { Tenancy } from '../tenants/tenancy.js';
import { parseBody } from '../http/validate.js';

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
export function widgetConfigRoutes({ tenancy, development }: WidgetConfigDeps): Router {
  const router = Router();

  router.get('/v1/widget-config', async (req, res) => {
    const query = parseBody(WidgetConfigQuerySchema, req.query);
    const { persona } = await tenancy.persona(query.persona);
    assertOriginAllowed(req, persona, development);
    const { requireConsent, consentText, consentVersion } = persona.disclosure;
    const config: WidgetConfig = {
      persona: { id: persona.id, name: persona.name, language: persona.language },
      ...(requireConsent && { consent: { text: consentText, version: consentVersion } }),
      continueOnPhone: persona.phone.continueOnPhone,
    };
    res.json(config);
  });

  return router;
}
