/**
 * The studio's places, kept in the address bar's fragment (`#/calls/abc`) so that links, the back
 * button and reloads work without any server-side routing.
 */
export type Route =
  | { view: 'talk' }
  | { view: 'personas'; personaId?: string }
  | { view: 'calls'; callId?: string }
  | { view: 'leads' }
  | { view: 'appointments' }
  | { view: 'phone' }
  | { view: 'campaigns'; campaignId?: string }
  | { view: 'scheduled-calls' }
  | { view: 'embed' };

export type ViewName = Route['view'];

/** The new-persona form's place: `#/personas/new` (`new` is a valid id, but a reserved place). */
export const NEW_PERSONA = 'new';

/** The new-campaign form's place: `#/campaigns/new` (campaign ids start `cmp_`). */
export const NEW_CAMPAIGN = 'new';

function decoded(part: string | undefined): string | undefined {
  if (part === undefined || part === '') return undefined;
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/** The route a fragment names; anything unknown is the talk view (the landing place). */
export function parseRoute(hash: string): Route {
  const [view, id] = hash.replace(/^#\/?/, '').split('/');
  switch (view) {
    case 'personas':
      return { view: 'personas', personaId: decoded(id) };
    case 'calls':
      return { view: 'calls', callId: decoded(id) };
    case 'campaigns':
      return { view: 'campaigns', campaignId: decoded(id) };
    case 'leads':
    case 'appointments':
    case 'phone':
    case 'scheduled-calls':
    case 'embed':
      return { view };
    default:
      return { view: 'talk' };
  }
}

/** The fragment of a route, the inverse of `parseRoute`. */
export function routeHref(route: Route): string {
  switch (route.view) {
    case 'personas':
      return route.personaId === undefined
        ? '#/personas'
        : `#/personas/${encodeURIComponent(route.personaId)}`;
    case 'calls':
      return route.callId === undefined ? '#/calls' : `#/calls/${encodeURIComponent(route.callId)}`;
    case 'campaigns':
      return route.campaignId === undefined
        ? '#/campaigns'
        : `#/campaigns/${encodeURIComponent(route.campaignId)}`;
    default:
      return `#/${route.view}`;
  }
}
