import { PersonaSchema, type Persona } from '@parley/contracts';
import { h } from '../dom.js';
import { describePath, type Issue } from '../form/field.js';
import { objectOf, type Fields } from '../form/group-fields.js';
import { basicsSections } from './basics-sections.js';
import type { FormSection } from './form-section.js';
import { phoneSection } from './phone-sections.js';
import { policySections } from './policy-sections.js';
import { toolsSection } from './tools-sections.js';

export type Validation = { ok: true; persona: Persona } | { ok: false; issues: Issue[] };

export interface PersonaForm {
  readonly element: HTMLFormElement;
  /**
   * Reads the form and validates it with the server's own schema. Problems are shown beside
   * their fields and in a summary, and focus moves to the first one.
   */
  validate(): Validation;
}

export interface PersonaFormOptions {
  isNew: boolean;
  /** Ids of the tenant's personas, offered for handoff targets. */
  personaIds: readonly string[];
}

function sectionElement(section: FormSection): HTMLElement {
  return h(
    'details',
    { class: 'section', open: section.open },
    h('summary', {}, section.title),
    h(
      'div',
      { class: 'section-body' },
      section.hint ? h('p', { class: 'hint' }, section.hint) : null,
      ...Object.values(section.fields).map((field) => field.element),
    ),
  );
}

/** The editor for every property of a persona, prefilled with `persona`. */
export function personaForm(persona: Persona, options: PersonaFormOptions): PersonaForm {
  const sections = [
    ...basicsSections(persona, options.isNew),
    toolsSection(persona),
    ...policySections(persona, options.personaIds),
    phoneSection(persona),
  ];
  const fields: Fields = Object.assign({}, ...sections.map((section) => section.fields));
  const object = objectOf(fields);
  const summaryList = h('ul');
  const summary = h(
    'div',
    { class: 'form-summary', role: 'alert', hidden: true },
    h('p', {}, 'The persona was not saved. Please correct:'),
    summaryList,
  );
  const element = h(
    'form',
    { class: 'persona-form', novalidate: true },
    summary,
    ...sections.map(sectionElement),
  );

  const showIssues = (issues: readonly Issue[]) => {
    object.showIssues(issues);
    summaryList.replaceChildren(
      ...issues.map((issue) =>
        h(
          'li',
          {},
          issue.path.length > 0 ? `${describePath(issue.path)}: ${issue.message}` : issue.message,
        ),
      ),
    );
    summary.hidden = issues.length === 0;
  };

  return {
    element,
    validate() {
      const result = PersonaSchema.safeParse(object.value());
      if (result.success) {
        showIssues([]);
        return { ok: true, persona: result.data };
      }
      const issues = result.error.issues.map((issue) => ({
        path: issue.path,
        message: issue.message,
      }));
      showIssues(issues);
      element.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return { ok: false, issues };
    },
  };
}
