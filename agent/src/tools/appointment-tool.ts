import { llm } from '@livekit/agents';
import { BookAppointmentArgsSchema, type Persona } from '@parley/contracts';
import { throwForModel, type ToolApi } from './tool-api.js';
import { modelArguments } from './model-arguments.js';

/**
 * A moment as a person would say it, in the persona's language and time zone, e.g. "Tuesday,
 * November 24 at 10:00 AM".
 */
export function spokenDateTime(instant: Date, timeZone: string, language: string): string {
  return new Intl.DateTimeFormat(spokenLocale(language), {
    timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(instant);
}

/** `language` when Intl knows it; otherwise American English rather than a failed booking reply. */
function spokenLocale(language: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf(language)[0] ?? 'en-US';
  } catch {
    return 'en-US';
  }
}

/** The time zone appointments are booked in: the business hours' own, else UTC. */
export const appointmentTimeZone = (persona: Pick<Persona, 'businessHours'>) =>
  persona.businessHours?.timeZone ?? 'UTC';

/**
 * Books an appointment inside the persona's business hours. A taken slot, a time outside the
 * hours or in the past comes back as the server's message, which names free slots.
 */
export function bookAppointmentTool(
  persona: Pick<Persona, 'businessHours' | 'language'>,
  api: ToolApi,
) {
  const timeZone = appointmentTimeZone(persona);
  const bookingArgs = modelArguments('book_appointment', BookAppointmentArgsSchema);
  return llm.tool({
    name: 'book_appointment',
    description:
      'Books an appointment for the caller. Business hours are in the ' +
      `${timeZone} time zone; give startsAt in ISO 8601 with that offset. Read the ` +
      'confirmation back to the caller. If the time is not free, offer the free times the ' +
      'error names.',
    parameters: bookingArgs.parameters,
    execute: async (sent, { abortSignal }) => {
      const args = bookingArgs.parse(sent);
      try {
        await api.bookAppointment(args, abortSignal);
      } catch (error) {
        throwForModel(error, 'The booking system');
      }
      const when = spokenDateTime(new Date(args.startsAt), timeZone, persona.language);
      return `Booked for ${when}.`;
    },
  });
}
