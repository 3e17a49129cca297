import { h } from '../dom.js';
import { objectOf } from '../form/group-fields.js';
import { checkboxField, selectField, textField } from '../form/leaf-fields.js';
import { describeError } from '../admin-api.js';
import { viewSection, type StudioContext, type View } from '../studio-context.js';
import { copyFrom } from './clipboard.js';
import { embedSnippet, type EmbedOptions } from './embed-snippet.js';

const DEFAULT_ACCENT = '#1d4ed8';

/** The embed snippet generator: choose persona and looks, copy the one-line script tag. */
export function embedView(context: StudioContext): View {
  const { element, body } = viewSection('embed', 'Embed on a site');
  return {
    element,
    show() {
      build(context)
        .then((content) => body.replaceChildren(...content))
        .catch((error: unknown) =>
          body.replaceChildren(h('p', { class: 'error-line' }, describeError(error))),
        );
    },
  };
}

async function build(context: StudioContext): Promise<HTMLElement[]> {
  const personas = context.api ? await context.personas() : undefined;
  const persona = personas
    ? selectField(
        'Persona',
        personas.some((p) => p.id === 'default') ? 'default' : (personas[0]?.id ?? ''),
        personas.map((p) => ({ value: p.id, label: `${p.name} (${p.id})` })),
      )
    : textField('Persona', 'default', { hint: 'Sign in to choose from your personas.' });
  const accentOn = checkboxField('Custom accent colour', false);
  const accentColour = h('input', {
    type: 'color',
    value: DEFAULT_ACCENT,
    'aria-label': 'Accent colour',
  });
  accentOn.element.append(accentColour);
  const fields = {
    persona,
    position: selectField('Position', 'bottom-right', [
      { value: 'bottom-right', label: 'bottom right' },
      { value: 'bottom-left', label: 'bottom left' },
    ]),
    theme: selectField('Theme', 'light', [
      { value: 'light', label: 'light' },
      { value: 'dark', label: 'dark' },
      { value: 'auto', label: 'auto (follows the visitor’s setting)' },
    ]),
    lang: selectField('Language', '', [
      { value: '', label: 'the page’s language' },
      { value: 'en', label: 'English' },
      { value: 'fr', label: 'Français' },
    ]),
  };
  const object = objectOf(fields);
  const snippet = h('textarea', {
    id: 'embed-snippet',
    readonly: true,
    rows: 3,
    spellcheck: 'false',
    class: 'code',
  });
  const copy = h('button', { type: 'button' }, 'Copy snippet');
  const status = h('p', { class: 'status-line', role: 'status' });
  const form = h(
    'form',
    { class: 'embed-form', 'aria-label': 'Snippet options' },
    ...Object.values(fields).map((field) => field.element),
    accentOn.element,
  );

  const update = () => {
    const values = object.value() as Record<keyof typeof fields, string>;
    const options: EmbedOptions = {
      origin: location.origin,
      persona: values.persona.trim() || 'default',
      position: values.position === 'bottom-left' ? 'bottom-left' : 'bottom-right',
      theme: values.theme === 'dark' || values.theme === 'auto' ? values.theme : 'light',
      accent: accentOn.control.checked ? accentColour.value : undefined,
      lang: values.lang || undefined,
    };
    snippet.value = embedSnippet(options);
    status.textContent = '';
  };
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('submit', (event) => event.preventDefault());
  copy.addEventListener('click', () => {
    void copyFrom(snippet).then((result) => {
      status.textContent =
        result === 'copied'
          ? 'Copied to the clipboard.'
          : 'Selected: press Ctrl+C (⌘C on a Mac) to copy.';
    });
  });
  update();

  return [
    h(
      'p',
      {},
      'Paste this line anywhere in a page. The page’s origin must be in the persona’s allowed origins.',
    ),
    form,
    h('label', { for: snippet.id }, 'Embed snippet'),
    snippet,
    h('div', { class: 'form-actions' }, copy),
    status,
  ];
}
