import { type HandoffTarget, type Persona } from '@parley/contracts';
import { group, listField, optionalField } from '../form/group-fields.js';
import {
  checkboxField,
  linesField,
  numberField,
  selectField,
  textField,
} from '../form/leaf-fields.js';
import { timeZoneField, weekdaySpans, weeklySpanFields } from '../form/weekly-hours-fields.js';
import type { FormSection } from './form-section.js';

function businessHoursField(persona: Persona) {
  const hours = persona.businessHours;
  const inner = group('Business hours', {
    timeZone: timeZoneField(hours?.timeZone),
    weekly: listField(
      'Weekly opening spans',
      hours?.weekly ?? weekdaySpans('09:00', '17:00'),
      (span) => weeklySpanFields(span, { open: 'Opens', close: 'Closes', defaultClose: '17:00' }),
      { itemName: 'opening span', hint: 'Several spans on one day make a lunch break.' },
    ),
    appointmentMinutes: numberField(
      'Appointment length (minutes)',
      hours?.appointmentMinutes ?? 30,
      {
        min: 5,
        max: 480,
      },
    ),
  });
  return optionalField('Has business hours (appointments are booked inside them)', inner, !!hours);
}

function handoffFields(target: HandoffTarget | undefined, personaIds: readonly string[]) {
  return {
    personaId: textField('Persona id', target?.personaId, { suggestions: personaIds }),
    when: textField('When', target?.when, {
      hint: 'When to hand off, in words the model understands.',
    }),
    phrases: linesField('Phrases', target?.phrases ?? [], {
      hint: 'One per line: phrases that trigger the handoff in the scripted responder.',
    }),
    keepVoice: checkboxField('Keep this persona’s voice', target?.keepVoice ?? false),
  };
}

/** How calls are run: turn-taking, hours, qualification, escalation, silence, limits, disclosure. */
export function policySections(persona: Persona, personaIds: readonly string[]): FormSection[] {
  const turn = persona.turnTaking;
  const lead = persona.leadQualification;
  const silence = persona.silence;
  const disclosure = persona.disclosure;
  return [
    {
      title: 'Turn-taking',
      fields: {
        turnTaking: group('When a turn ends', {
          minEndpointingDelayMs: numberField(
            'Minimum end-of-turn delay (ms)',
            turn.minEndpointingDelayMs,
            {
              min: 0,
              max: 5_000,
              hint: 'Silence after speech before the turn may end.',
            },
          ),
          maxEndpointingDelayMs: numberField(
            'Maximum end-of-turn delay (ms)',
            turn.maxEndpointingDelayMs,
            {
              min: 100,
              max: 10_000,
              hint: 'Longest wait when the turn detector expects the caller to go on.',
            },
          ),
          interruptions: checkboxField('Callers may interrupt the agent', turn.interruptions),
          minInterruptionDurationMs: numberField(
            'Minimum interruption (ms)',
            turn.minInterruptionDurationMs,
            {
              min: 0,
              max: 5_000,
              hint: 'The caller’s voice pauses the agent after this long; their words stop it.',
            },
          ),
          falseInterruptionTimeoutMs: numberField(
            'False interruption timeout (ms)',
            turn.falseInterruptionTimeoutMs,
            {
              min: 0,
              max: 10_000,
              hint: 'The agent resumes this long after a pause with no words, or only a “mm-hm”.',
            },
          ),
        }),
      },
    },
    { title: 'Business hours', fields: { businessHours: businessHoursField(persona) } },
    {
      title: 'Lead qualification',
      hint: 'BANT: each signal met adds its weight; the sum against the thresholds gives hot, warm or cold.',
      fields: {
        leadQualification: group('Lead scoring', {
          minBudget: numberField('Minimum budget', lead.minBudget, { min: 0, step: 'any' }),
          maxTimelineDays: numberField('Maximum timeline (days)', lead.maxTimelineDays, {
            min: 0,
            max: 3650,
          }),
          needKeywords: linesField('Need keywords', lead.needKeywords, {
            hint: 'One per line; empty means any stated need fits.',
          }),
          weights: group('Weights', {
            budget: numberField('Budget', lead.weights.budget, { min: 0, max: 100, step: 'any' }),
            authority: numberField('Authority', lead.weights.authority, {
              min: 0,
              max: 100,
              step: 'any',
            }),
            need: numberField('Need', lead.weights.need, { min: 0, max: 100, step: 'any' }),
            timeline: numberField('Timeline', lead.weights.timeline, {
              min: 0,
              max: 100,
              step: 'any',
            }),
          }),
          thresholds: group('Thresholds', {
            hot: numberField('Hot at or above', lead.thresholds.hot, {
              min: 0,
              max: 400,
              step: 'any',
            }),
            warm: numberField('Warm at or above', lead.thresholds.warm, {
              min: 0,
              max: 400,
              step: 'any',
            }),
          }),
        }),
      },
    },
    {
      title: 'Escalation and handoffs',
      fields: {
        escalation: group('Escalation to a person', {
          phrases: linesField('Phrases', persona.escalation.phrases, {
            hint: 'One per line: what callers say to ask for a person.',
          }),
          transferTarget: textField('Transfer to', persona.escalation.transferTarget, {
            optional: true,
            placeholder: '+14155550123 or sip:desk@example.com',
            hint: 'An E.164 number or a sip: URI; without one, web calls end with the message.',
          }),
          message: textField('Message', persona.escalation.message, { multiline: true, rows: 2 }),
          mode: selectField(
            'Transfer mode',
            persona.escalation.mode,
            [
              { value: 'cold', label: 'cold: hand the caller straight over' },
              { value: 'warm', label: 'warm: brief the person first, then connect' },
            ],
            { hint: 'A web visitor’s transfer is always warm.' },
          ),
          ringTimeoutSeconds: numberField(
            'Warm transfer rings for (s)',
            persona.escalation.ringTimeoutSeconds,
            { min: 5, max: 120 },
          ),
          noAnswerLine: textField(
            'If the target does not pick up',
            persona.escalation.noAnswerLine,
            {
              multiline: true,
              rows: 2,
              hint: 'Said to the caller when a warm transfer’s target does not pick up.',
            },
          ),
        }),
        handoffs: listField(
          'Handoffs to other personas',
          persona.handoffs,
          (target) => handoffFields(target, personaIds),
          { itemName: 'handoff' },
        ),
      },
    },
    {
      title: 'Silence and call length',
      fields: {
        silence: group('When the caller goes quiet', {
          repromptAfterSeconds: numberField('Reprompt after (s)', silence.repromptAfterSeconds, {
            min: 2,
            max: 120,
            step: 'any',
          }),
          repromptLine: textField('Reprompt line', silence.repromptLine),
          hangUpAfterSeconds: numberField('Hang up after (s)', silence.hangUpAfterSeconds, {
            min: 4,
            max: 600,
            step: 'any',
          }),
          hangUpLine: textField('Hang-up line', silence.hangUpLine, { multiline: true, rows: 2 }),
        }),
        maxCallDurationSeconds: numberField('Longest call (s)', persona.maxCallDurationSeconds, {
          min: 30,
          max: 4 * 3600,
        }),
        closingLine: textField('Closing line', persona.closingLine, {
          multiline: true,
          rows: 2,
          hint: 'Said when the call reaches its longest duration.',
        }),
      },
    },
    {
      title: 'Disclosure and consent',
      fields: {
        disclosure: group('Telling callers they talk to an AI', {
          line: textField('Disclosure line', disclosure.line, { multiline: true, rows: 2 }),
          atStart: checkboxField('Say it right after the greeting', disclosure.atStart),
          requireConsent: checkboxField(
            'Web visitors must accept the consent text before the microphone opens',
            disclosure.requireConsent,
          ),
          consentText: textField('Consent text', disclosure.consentText, {
            multiline: true,
            rows: 3,
          }),
          consentVersion: textField('Consent version', disclosure.consentVersion, {
            hint: 'Bump it when the consent text changes; stored with each acceptance.',
          }),
        }),
      },
    },
  ];
}
