/**
 * The form toolkit the persona editor is built from. A `Field` is a piece of form that reads back
 * a value shaped like its part of the persona, and shows the validation issues (zod's, with paths
 * relative to the field) that concern it.
 */

/** A validation problem; `path` is relative to the field it is handed to. */
export interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

export interface Field<T = unknown> {
  readonly element: HTMLElement;
  /** The value as typed; `undefined` leaves the schema's default (or absence) to apply. */
  value(): T;
  /** Shows `issues` (possibly none, which clears what was shown). */
  showIssues(issues: readonly Issue[]): void;
}

/** The issues under `key`, with `key` taken off their paths. */
export function issuesUnder(issues: readonly Issue[], key: PropertyKey): Issue[] {
  return issues
    .filter((issue) => issue.path[0] === key)
    .map((issue) => ({ path: issue.path.slice(1), message: issue.message }));
}

/** Opens every collapsed `<details>` around `element`, so a problem inside it can be seen. */
export function reveal(element: Element): void {
  for (let at = element.parentElement; at; at = at.parentElement) {
    if (at instanceof HTMLDetailsElement) at.open = true;
  }
}

/** `[0, 'question']` → `1 › question`: a path for people (list positions count from 1). */
export function describePath(path: readonly PropertyKey[]): string {
  return path
    .map((part) => (typeof part === 'number' ? String(part + 1) : String(part)))
    .join(' › ');
}
