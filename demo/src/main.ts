import type { Persona } from '@parley/contracts';
import { AdminApi, ApiRequestError } from './admin-api.js';
import {
  adoptKeyFromAddressBar,
  forgetKey,
  keyFromFragment,
  storeKey,
  storedKey,
} from './admin-key.js';
import { callsView } from './calls/calls-view.js';
import { campaignsView } from './campaigns/campaigns-view.js';
import { scheduledCallsView } from './campaigns/scheduled-calls-view.js';
import { focusElement, required } from './dom.js';
import { embedView } from './embed/embed-view.js';
import { personaView } from './persona/persona-view.js';
import { phoneView } from './phone/phone-view.js';
import { appointmentsView, leadsView } from './records/records-views.js';
import { parseRoute, routeHref, type Route, type ViewName } from './route.js';
import { signInPanel } from './sign-in.js';
import type { StudioContext, View } from './studio-context.js';
import { talkView } from './talk-view.js';

adoptKeyFromAddressBar();

let api: AdminApi | undefined;
let personaList: Promise<Persona[]> | undefined;

const context: StudioContext = {
  get api() {
    return api;
  },
  personas(refresh = false) {
    if (!api) return Promise.resolve([]);
    if (refresh || !personaList) {
      const loading = api.listPersonas();
      // a failed load is not remembered: the next view asks again
      loading.catch(() => {
        if (personaList === loading) personaList = undefined;
      });
      personaList = loading;
    }
    return personaList;
  },
  navigate(route) {
    location.hash = routeHref(route);
  },
  talkTo(personaId) {
    talk.choose(personaId);
    context.navigate({ view: 'talk' });
  },
};

const talk = talkView(context);
const views: Record<ViewName, View> = {
  talk,
  personas: personaView(context),
  calls: callsView(context),
  leads: leadsView(context),
  appointments: appointmentsView(context),
  phone: phoneView(context),
  campaigns: campaignsView(context),
  'scheduled-calls': scheduledCallsView(context),
  embed: embedView(context),
};

const main = required<HTMLElement>('#main');
main.append(...Object.values(views).map((view) => view.element));
const navLinks = [...document.querySelectorAll<HTMLAnchorElement>('nav.tabs a')];

/** Shows the view the address names; `moveFocus` after the visitor navigated (not on load). */
function showRoute(route: Route, moveFocus: boolean): void {
  for (const [name, view] of Object.entries(views)) view.element.hidden = name !== route.view;
  for (const link of navLinks) {
    const current = parseRoute(link.hash).view === route.view;
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const view = views[route.view];
  view.show(route);
  if (moveFocus) focusElement(required<HTMLElement>('h2', view.element));
}

const signIn = signInPanel({
  async signIn(key) {
    const candidate = new AdminApi(key);
    await candidate.listPersonas();
    storeKey(key);
    useKey(candidate);
  },
  signOut() {
    forgetKey();
    useKey(undefined);
  },
});
required<HTMLElement>('#auth').append(signIn.element);

function useKey(next: AdminApi | undefined, message?: string): void {
  api = next;
  personaList = undefined;
  signIn.render(next !== undefined, message);
  showRoute(parseRoute(location.hash), false);
}

window.addEventListener('hashchange', () => {
  // the dev command's link opened in a tab that already shows the studio
  if (keyFromFragment(location.hash) !== undefined) {
    adoptKeyFromAddressBar();
    void start();
    return;
  }
  showRoute(parseRoute(location.hash), true);
});

/** A key kept from earlier in this tab is checked once: the server may have a new one since. */
async function start(): Promise<void> {
  const key = storedKey();
  if (key === undefined) {
    useKey(undefined);
    return;
  }
  const candidate = new AdminApi(key);
  try {
    await candidate.listPersonas();
    useKey(candidate);
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) {
      forgetKey();
      useKey(undefined, 'The saved admin key is no longer accepted: sign in again.');
    } else {
      // the server is down or failing: keep the key, the views show what went wrong
      useKey(candidate);
    }
  }
}

void start();
