/** `{{name}}` placeholders: letters, digits, `_` and `.`, spaces inside the braces allowed. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]{0,63})\s*\}\}/g;

export type TemplateValues = Readonly<Record<string, string | number | boolean | undefined>>;

export interface RenderedTemplate {
  text: string;
  /** Placeholders that had no value (rendered as an empty string). */
  missing: string[];
}

/**
 * Fills `{{name}}` placeholders from `values`. A placeholder without a value becomes empty and
 * is listed in `missing`; `{{secret.…}}` is never filled here (secrets stay on the server).
 */
export function renderTemplate(text: string, values: TemplateValues): RenderedTemplate {
  const missing = new Set<string>();
  const rendered = text.replace(PLACEHOLDER, (whole, name: string) => {
    if (name.startsWith('secret.')) return whole;
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) {
      missing.add(name);
      return '';
    }
    return String(value);
  });
  return { text: rendered, missing: [...missing] };
}

/** The names of the placeholders in `text`, in order of first use. */
export function templateNames(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

export interface BuiltinValuesInput {
  now: Date;
  timeZone: string;
  channel: string;
  personaName: string;
  callerNumber?: string;
  callerName?: string;
  language: string;
}

/**
 * Built-in template values: `current_time`, `current_date`, `current_weekday`, `time_zone`,
 * `channel`, `caller_number`, `caller_name`, `persona_name`.
 */
export function builtinValues(input: BuiltinValuesInput): Record<string, string> {
  const format = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(input.language, { timeZone: input.timeZone, ...options }).format(
      input.now,
    );
  const values: Record<string, string> = {
    current_time: format({ hour: 'numeric', minute: '2-digit' }),
    current_date: format({ year: 'numeric', month: 'long', day: 'numeric' }),
    current_weekday: format({ weekday: 'long' }),
    time_zone: input.timeZone,
    channel: input.channel,
    persona_name: input.personaName,
  };
  if (input.callerNumber) values.caller_number = input.callerNumber;
  if (input.callerName) values.caller_name = input.callerName;
  return values;
}
