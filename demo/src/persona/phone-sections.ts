import { DtmfDigitSchema, type Persona } from '@parley/contracts';
import { group, listField, optionalField } from '../form/group-fields.js';
import {
  checkboxField,
  numberField,
  numberLinesField,
  selectField,
  textField,
} from '../form/leaf-fields.js';
import { weeklySpanFields } from '../form/weekly-hours-fields.js';
import type { FormSection } from './form-section.js';

/** How phone callers are served: keypad menu, digit strings, calling hours, web → phone. */
export function phoneSection(persona: Persona): FormSection {
  const phone = persona.phone;
  const hours = phone.callingHours;
  return {
    title: 'Phone',
    hint: 'Phone numbers are assigned to personas in the Phone tab.',
    fields: {
      phone: group('Phone callers', {
        dtmfMenu: listField(
          'Keypad menu',
          phone.dtmfMenu,
          (entry) => ({
            digit: selectField(
              'Key',
              entry?.digit ?? '1',
              DtmfDigitSchema.options.map((digit) => ({ value: digit, label: digit })),
            ),
            intent: textField('Means', entry?.intent, {
              hint: 'Handed to the agent as if the caller had said it, e.g. "What are your opening hours?"',
            }),
          }),
          {
            itemName: 'menu key',
            hint: 'Keys not in the menu are collected into a digit string (an order number, say).',
          },
        ),
        digitTimeoutMs: numberField('Digit string ends after (ms)', phone.digitTimeoutMs, {
          min: 500,
          max: 10_000,
          hint: 'Quiet between keys that ends a digit string (# ends it at once).',
        }),
        maxDigits: numberField('Longest digit string', phone.maxDigits, { min: 1, max: 32 }),
        callingHours: optionalField(
          'Has calling hours (outbound calls are placed only inside them)',
          listField(
            'Calling hours, in the business time zone',
            hours ?? [],
            (span) => weeklySpanFields(span, { open: 'From', close: 'To', defaultClose: '18:00' }),
            { itemName: 'calling span', hint: 'Unset: the business hours, or any time without.' },
          ),
          hours !== undefined,
        ),
        outboundTrunk: textField('Outbound trunk', phone.outboundTrunk, {
          optional: true,
          placeholder: 'the tenant’s first',
          hint: 'The trunk (Phone tab) this persona dials through: outbound calls, warm transfers, continue on my phone.',
        }),
        continueOnPhone: checkboxField(
          'Web visitors may continue the call on their phone',
          phone.continueOnPhone,
          {
            hint: 'The widget offers "Continue on my phone"; Parley dials the number they confirm.',
          },
        ),
        optOutLine: textField('Said when a caller asks not to be called again', phone.optOutLine, {
          hint: 'Their number goes on the do-not-call list, and the call ends after this line.',
        }),
        appointmentReminders: group('Appointment reminders', {
          enabled: checkboxField(
            'Call to remind of the appointments this persona books',
            phone.appointmentReminders.enabled,
            { hint: 'To the number the booking gave, else the caller’s; cancelled with it.' },
          ),
          minutesBefore: numberLinesField(
            'Minutes before the appointment',
            phone.appointmentReminders.minutesBefore,
            { hint: 'One per line: 1440 is a day before, 60 an hour before.', rows: 2 },
          ),
        }),
      }),
    },
  };
}
