import type { Persona } from '@parley/contracts';
import { describeError, type AdminApi } from './admin-api.js';
import { h } from './dom.js';
import type { Route } from './route.js';
import { focusSignIn } from './sign-in.js';

/** What every view of the studio shares. */
export interface StudioContext {
  /** The admin API, or `undefined` while signed out. */
  readonly api: AdminApi | undefined;
  /** The tenant's personas, fetched once and again after `refresh`. */
  personas(refresh?: boolean): Promise<Persona[]>;
  navigate(route: Route): void;
  /** Opens the talk view with `personaId` chosen. */
  talkTo(personaId: string): void;
}

/** One place of the studio: a `<section>` that the router shows and hides. */
export interface View {
  readonly element: HTMLElement;
  /** The view is (again) on screen for `route`: load what it shows. */
  show(route: Route): void;
}

/** What a view that needs the admin key shows while signed out. */
export function signedOutNotice(what: string): HTMLElement {
  const button = h('button', { type: 'button', class: 'secondary small' }, 'Go to sign-in');
  button.addEventListener('click', focusSignIn);
  return h('p', { class: 'notice-inline' }, `Sign in with the admin key to ${what}. `, button);
}

/** An alert with the server's `code: message`. */
export function errorNotice(error: unknown): HTMLElement {
  return h('p', { class: 'error-line', role: 'alert' }, describeError(error));
}

/** A `<section>` with its heading, the landing point for focus when the view opens. */
export function viewSection(
  name: string,
  title: string,
): { element: HTMLElement; heading: HTMLHeadingElement; body: HTMLElement } {
  const heading = h('h2', { id: `${name}-title`, tabindex: -1 }, title);
  const body = h('div', { class: 'view-body' });
  const element = h(
    'section',
    { class: 'view', id: `view-${name}`, 'aria-labelledby': heading.id, hidden: true },
    heading,
    body,
  );
  return { element, heading, body };
}

export interface AdminViewOptions {
  name: string;
  title: string;
  /** What signing in lets the admin do here, for the signed-out notice. */
  purpose: string;
  /** Builds what the view shows for `route`; a rejection (the server's error) is shown instead. */
  page(api: AdminApi, route: Route): Promise<Node>;
}

/**
 * A view built on the admin API: signed out, the notice; signed in, "Loading…" and then its page
 * — unless the view was shown again meanwhile, when the late page is dropped.
 */
export function adminView(
  context: StudioContext,
  options: AdminViewOptions,
): View & { heading: HTMLHeadingElement } {
  const { element, heading, body } = viewSection(options.name, options.title);
  let shown = 0;
  return {
    element,
    heading,
    show(route) {
      shown += 1;
      const token = shown;
      const api = context.api;
      if (!api) {
        body.replaceChildren(signedOutNotice(options.purpose));
        return;
      }
      body.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
      options
        .page(api, route)
        .then((page) => {
          if (token === shown) body.replaceChildren(page);
        })
        .catch((error: unknown) => {
          if (token === shown) body.replaceChildren(errorNotice(error));
        });
    },
  };
}
