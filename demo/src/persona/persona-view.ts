import { PersonaSchema, type Persona } from '@parley/contracts';
import type { AdminApi } from '../admin-api.js';
import { focusElement, h } from '../dom.js';
import { NEW_PERSONA, routeHref, type Route } from '../route.js';
import {
  errorNotice,
  signedOutNotice,
  viewSection,
  type StudioContext,
  type View,
} from '../studio-context.js';
import { personaForm } from './persona-form.js';
import { versionHistory } from './version-history.js';

/** What a new persona starts from: valid as it is, every default filled in. */
function newPersonaTemplate(): Persona {
  return PersonaSchema.parse({
    id: 'my-persona',
    name: 'My persona',
    greeting: 'Hello! How can I help you today?',
    instructions: '',
  });
}

/** Personas: the list, the editor for every property, saving (a new version each time), history. */
export function personaView(context: StudioContext): View {
  const { element, body } = viewSection('personas', 'Personas');
  const list = h('ul', { class: 'persona-list' });
  const editor = h('div', { class: 'persona-editor' });
  const layout = h(
    'div',
    { class: 'split' },
    h(
      'nav',
      { 'aria-label': 'Personas', class: 'persona-nav' },
      h(
        'a',
        { class: 'button', href: routeHref({ view: 'personas', personaId: NEW_PERSONA }) },
        'New persona',
      ),
      list,
    ),
    editor,
  );
  /** Guards against a slow answer for a persona the admin has already left. */
  let shown = 0;
  /** A status to show once the editor reopens after navigation (e.g. "created"). */
  let pendingStatus: string | undefined;

  const renderList = (personas: readonly Persona[], current: string | undefined) => {
    list.replaceChildren(
      ...personas.map((persona) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href: routeHref({ view: 'personas', personaId: persona.id }),
              'aria-current': persona.id === current ? 'page' : undefined,
            },
            persona.name,
            ' ',
            h('code', {}, persona.id),
          ),
        ),
      ),
    );
  };

  const openEditor = (api: AdminApi, persona: Persona, isNew: boolean, personaIds: string[]) => {
    const status = h('p', { class: 'status-line', role: 'status' }, pendingStatus ?? '');
    pendingStatus = undefined;
    const failure = h('div', { class: 'save-failure' });
    const form = personaForm(persona, { isNew, personaIds });
    const save = h('button', { type: 'submit' }, isNew ? 'Create persona' : 'Save as new version');
    const actions = h('div', { class: 'form-actions' }, save);
    if (!isNew) {
      const talk = h('button', { type: 'button', class: 'secondary' }, 'Talk to this persona');
      talk.addEventListener('click', () => context.talkTo(persona.id));
      actions.append(talk);
    }
    form.element.append(actions);
    const history = isNew
      ? undefined
      : versionHistory(api, persona.id, (version) => {
          editor.replaceChildren();
          pendingStatus = `Version ${version.version} is in the editor: save it to make it current again.`;
          openEditor(api, version.persona, false, personaIds);
        });

    form.element.addEventListener('submit', (event) => {
      event.preventDefault();
      failure.replaceChildren();
      status.textContent = '';
      const checked = form.validate();
      if (!checked.ok) return;
      save.disabled = true;
      status.textContent = 'Saving…';
      const saving = isNew
        ? api.createPersona(checked.persona)
        : api.replacePersona(persona.id, checked.persona);
      saving
        .then(async (saved) => {
          await context.personas(true);
          if (isNew) {
            pendingStatus = `Created “${saved.name}”.`;
            context.navigate({ view: 'personas', personaId: saved.id });
            return;
          }
          status.textContent = 'Saved a new version.';
          await history?.refresh();
          renderList(await context.personas(), saved.id);
        })
        .catch((error: unknown) => {
          status.textContent = '';
          const notice = errorNotice(error);
          failure.replaceChildren(notice);
          focusElement(notice);
        })
        .finally(() => {
          save.disabled = false;
        });
    });

    editor.replaceChildren(
      h('h3', {}, isNew ? 'New persona' : `Edit “${persona.name}”`),
      status,
      failure,
      form.element,
    );
    if (history) editor.append(history.element);
  };

  const show = async (route: Route, token: number) => {
    const api = context.api;
    if (!api) {
      body.replaceChildren(signedOutNotice('create and edit personas'));
      return;
    }
    body.replaceChildren(layout);
    // the previous persona's form must not stay editable while the next one loads
    editor.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
    const personaId = route.view === 'personas' ? route.personaId : undefined;
    const personas = await context.personas(true);
    if (token !== shown) return;
    renderList(personas, personaId);
    const ids = personas.map((persona) => persona.id);
    if (personaId === undefined) {
      editor.replaceChildren(h('p', {}, 'Choose a persona to edit, or create a new one.'));
    } else if (personaId === NEW_PERSONA) {
      openEditor(api, newPersonaTemplate(), true, ids);
    } else {
      const persona = await api.getPersona(personaId);
      if (token === shown) openEditor(api, persona, false, ids);
    }
  };

  return {
    element,
    show(route) {
      shown += 1;
      const token = shown;
      show(route, token).catch((error: unknown) => {
        if (token === shown) body.replaceChildren(errorNotice(error));
      });
    },
  };
}
