import { AppointmentStatusSchema, LeadTemperatureSchema } from '@parley/contracts';
import type { AdminApi } from '../admin-api.js';
import { anyOf, dayRange, filterForm } from '../filter-form.js';
import type { Fields } from '../form/group-fields.js';
import { selectField, textField } from '../form/leaf-fields.js';
import { pagedTable, type Column, type ListPage } from '../paged-table.js';
import { signedOutNotice, viewSection, type StudioContext, type View } from '../studio-context.js';
import { appointmentColumns, leadColumns } from './record-columns.js';

interface ListViewOptions<T> {
  name: string;
  title: string;
  /** The table's caption, saying its order. */
  caption: string;
  /** What signing in lets the admin do here, for the signed-out notice. */
  purpose: string;
  filters(): Fields;
  columns: readonly Column<T>[];
  empty: string;
  fetchPage(
    api: AdminApi,
    filters: Record<string, unknown>,
    cursor: string | undefined,
  ): Promise<ListPage<T>>;
}

/** A filtered, cursor-paginated admin list as a view of its own. */
function listView<T>(context: StudioContext, options: ListViewOptions<T>): View {
  const { element, body } = viewSection(options.name, options.title);
  return {
    element,
    show() {
      const api = context.api;
      if (!api) {
        body.replaceChildren(signedOutNotice(options.purpose));
        return;
      }
      let filters: Record<string, unknown> = {};
      const table = pagedTable({
        caption: options.caption,
        columns: options.columns,
        empty: options.empty,
        fetchPage: (cursor) => options.fetchPage(api, filters, cursor),
      });
      const form = filterForm(
        `Filter ${options.title.toLowerCase()}`,
        options.filters(),
        (values) => {
          filters = values;
          void table.reload();
        },
      );
      body.replaceChildren(form, table.element);
      void table.reload();
    },
  };
}

function dateFields(): Fields {
  return {
    from: textField('From', undefined, { type: 'date', optional: true }),
    to: textField('To', undefined, { type: 'date', optional: true }),
  };
}

/** Leads the agent captured, hottest signals first to the eye: temperature and score. */
export function leadsView(context: StudioContext): View {
  return listView(context, {
    name: 'leads',
    title: 'Leads',
    caption: 'Leads, newest first',
    purpose: 'see the captured leads',
    filters: () => ({
      temperature: selectField('Temperature', '', anyOf(LeadTemperatureSchema.options)),
      ...dateFields(),
    }),
    columns: leadColumns(true),
    empty: 'No leads match these filters.',
    fetchPage: (api, filters, cursor) =>
      api.listLeads({
        temperature: LeadTemperatureSchema.safeParse(filters['temperature']).data,
        ...dayRange(filters),
        cursor,
      }),
  });
}

/** Appointments the agent booked, and cancelled ones. */
export function appointmentsView(context: StudioContext): View {
  return listView(context, {
    name: 'appointments',
    title: 'Appointments',
    caption: 'Appointments, soonest first',
    purpose: 'see the booked appointments',
    filters: () => ({
      status: selectField('Status', '', anyOf(AppointmentStatusSchema.options)),
      ...dateFields(),
    }),
    columns: appointmentColumns(true),
    empty: 'No appointments match these filters.',
    fetchPage: async (api, filters) => ({
      items: await api.listAppointments({
        status: AppointmentStatusSchema.safeParse(filters['status']).data,
        ...dayRange(filters),
      }),
    }),
  });
}
