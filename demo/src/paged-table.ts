import { h, type Child } from './dom.js';
import { errorNotice } from './studio-context.js';

export interface Column<T> {
  label: string;
  cell(item: T): Child;
}

/** One page of a cursor-paginated admin list (`/v1/calls`, `/v1/leads`…). */
export interface ListPage<T> {
  items: T[];
  nextCursor?: string;
}

export function dataTable<T>(
  caption: string,
  columns: readonly Column<T>[],
  items: readonly T[],
): HTMLTableElement {
  const body = h('tbody');
  appendRows(body, columns, items);
  return h(
    'table',
    { class: 'data-table' },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h('tr', {}, ...columns.map((column) => h('th', { scope: 'col' }, column.label))),
    ),
    body,
  );
}

function appendRows<T>(
  body: HTMLTableSectionElement,
  columns: readonly Column<T>[],
  items: readonly T[],
) {
  body.append(
    ...items.map((item) => h('tr', {}, ...columns.map((column) => h('td', {}, column.cell(item))))),
  );
}

export interface PagedTable {
  readonly element: HTMLElement;
  /** Starts again from the first page (after the filters changed). */
  reload(): Promise<void>;
}

/** A table that shows the first page of a list and a "Load more" button while more remain. */
export function pagedTable<T>(options: {
  caption: string;
  columns: readonly Column<T>[];
  empty: string;
  fetchPage(cursor: string | undefined): Promise<ListPage<T>>;
}): PagedTable {
  const content = h('div', { class: 'paged-content' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  const status = h('p', { class: 'muted', role: 'status' });
  const element = h('div', { class: 'paged-table' }, content, more, status);
  let cursor: string | undefined;
  let body: HTMLTableSectionElement | undefined;
  /** Answers of an older `reload` are dropped. */
  let generation = 0;

  const load = async (first: boolean) => {
    const mine = first ? ++generation : generation;
    more.disabled = true;
    status.textContent = 'Loading…';
    try {
      const page = await options.fetchPage(first ? undefined : cursor);
      if (mine !== generation) return;
      if (first || !body) {
        const table = dataTable(options.caption, options.columns, page.items);
        body = table.tBodies[0];
        content.replaceChildren(page.items.length > 0 ? table : h('p', {}, options.empty));
      } else {
        appendRows(body, options.columns, page.items);
      }
      cursor = page.nextCursor;
      more.hidden = cursor === undefined;
      status.textContent = '';
    } catch (error) {
      if (mine !== generation) return;
      status.textContent = '';
      content.replaceChildren(errorNotice(error));
      more.hidden = true;
    } finally {
      more.disabled = false;
    }
  };

  more.addEventListener('click', () => void load(false));
  return { element, reload: () => load(true) };
}
