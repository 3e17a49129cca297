/**
 * Lead capture by slot filling: name, contact, need, budget, timeline and authority, asked in
 * turn (slots the caller already gave are skipped), each re-asked once when the answer does not
 * parse, then `capture_lead` with what was gathered. A contact heard over the line is read back
 * for the caller to confirm or correct before it is kept: speech recognisers confuse digits
 * ("four" and "five"), and a lead with a wrong number cannot be called back.
 */
import type { CaptureLeadArgs } from '@parley/contracts';
import type { CallerProfile, FlowResult, ToolCallRequest, Turn } from './dialogue-context.js';
import { sentences } from './dialogue-context.js';
import {
  type Contact,
  parseContact,
  parseMoney,
  parseName,
  parseTimelineDays,
  parseYesNo,
} from './parsers.js';

export const CAPTURE_LEAD_TOOL = 'capture_lead';

export const LEAD_SLOTS = ['name', 'contact', 'need', 'budget', 'timeline', 'authority'] as const;
export type LeadSlot = (typeof LEAD_SLOTS)[number];

export interface LeadFlow {
  kind: 'lead';
  lead: Partial<CaptureLeadArgs>;
  /** Slots answered or given up on. */
  settled: LeadSlot[];
  asking?: LeadSlot;
  /** Whether `asking` (or the read-back) has been asked a second time. */
  retried: boolean;
  /** A contact heard and read back, waiting for the caller's yes, no or correction. */
  confirming?: Contact;
  /** Read-backs the caller said no to. */
  denied: number;
  /** Set once `capture_lead` has been called with these arguments. */
  saving?: CaptureLeadArgs;
}

/** `capture_lead` needs a name; a caller who would not give one is recorded as this. */
export const NAME_NOT_GIVEN = 'Name not given';

const QUESTIONS: Record<LeadSlot, string> = {
  name: 'May I have your name, please?',
  contact: "What's the best email address or phone number to reach you?",
  need: 'What do you need help with?',
  budget: 'Roughly what budget do you have in mind?',
  timeline: 'When would you like to get started?',
  authority: 'And are you the one who makes the decision on this?',
};

const REASKS: Record<LeadSlot, string> = {
  name: "Sorry, I didn't catch your name. Could you say it again?",
  contact:
    "Sorry, I didn't catch that. Could you say the email address, like name at example dot com, " +
    'or the phone number digit by digit?',
  need: 'Sorry, could you tell me in a few words what you need?',
  budget: "Sorry, I didn't catch an amount. Roughly how much, for example five thousand dollars?",
  timeline: 'Sorry, when would you like to start? For example, next month or in two weeks.',
  authority: 'Sorry, is that a yes or a no: do you make the decision?',
};

const ACKS: Record<LeadSlot, (lead: Partial<CaptureLeadArgs>) => string> = {
  name: (lead) => `Thanks, ${lead.name}.`,
  contact: () => 'Got it.',
  need: () => 'Thanks.',
  budget: () => 'Great.',
  timeline: () => 'Got it.',
  authority: () => 'Thank you.',
};

/** Read-backs a caller may deny before the flow moves on without a contact. */
const MAX_DENIALS = 2;

/** A contact as the agent reads it back: digits one by one in groups, the address in words. */
function spokenContact(contact: Contact): string {
  if (contact.email) return contact.email.replace('@', ' at ').replace(/\./g, ' dot ');
  const phone = contact.phone ?? '';
  const digits = phone.replace(/\D/g, '');
  const groups =
    digits.length === 10
      ? [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)]
      : (digits.match(/.{1,3}/g) ?? []);
  const spoken = groups.map((group) => group.split('').join(' ')).join(', ');
  return phone.startsWith('+') ? `plus ${spoken}` : spoken;
}

const confirmQuestion = (contact: Contact) => `I have ${spokenContact(contact)}. Is that right?`;

/** Reads one slot's answer into the lead; `undefined` when the answer does not say it. */
function read(
  slot: LeadSlot,
  text: string,
  lenient: boolean,
): Partial<CaptureLeadArgs> | undefined {
  switch (slot) {
    case 'name': {
      const name = parseName(text, { lenient });
      return name ? { name } : undefined;
    }
    case 'contact':
      return parseContact(text);
    case 'need': {
      const need = text.trim().slice(0, 2000);
      return need ? { need } : undefined;
    }
    case 'budget': {
      const budget = parseMoney(text);
      return budget === undefined ? undefined : { budget };
    }
    case 'timeline': {
      const timelineDays = parseTimelineDays(text);
      return timelineDays === undefined ? undefined : { timelineDays };
    }
    case 'authority': {
      const isDecisionMaker = parseYesNo(text);
      return isDecisionMaker === undefined ? undefined : { isDecisionMaker };
    }
  }
}

const turn = (say: string, step: string, call?: ToolCallRequest): Turn => ({
  say,
  ...(call ? { call } : {}),
  decision: { kind: 'lead', step },
});

/** Asks the next open slot, or calls `capture_lead` when none is left. */
function askNext(flow: LeadFlow, profile: CallerProfile, leadIn: string): FlowResult<LeadFlow> {
  const next = LEAD_SLOTS.find((slot) => !flow.settled.includes(slot));
  if (next) {
    return {
      flow: { ...flow, asking: next, retried: false },
      profile,
      turn: turn(sentences(leadIn, QUESTIONS[next]), `ask_${next}`),
    };
  }
  const saving: CaptureLeadArgs = { ...flow.lead, name: flow.lead.name ?? NAME_NOT_GIVEN };
  return {
    flow: { ...flow, asking: undefined, saving },
    profile,
    turn: turn(sentences(leadIn, 'One moment while I note that down.'), 'save', {
      name: CAPTURE_LEAD_TOOL,
      args: { ...saving },
    }),
  };
}

/** Starts capturing a lead, skipping what the caller already told us. */
export function startLead(profile: CallerProfile): FlowResult<LeadFlow> {
  const lead: Partial<CaptureLeadArgs> = { ...profile };
  const settled: LeadSlot[] = [];
  if (profile.name) settled.push('name');
  if (profile.email || profile.phone) settled.push('contact');
  const flow: LeadFlow = { kind: 'lead', lead, settled, retried: false, denied: 0 };
  return askNext(flow, profile, "I'd be glad to help with that.");
}

/** The question the flow is waiting on, to repeat it after an aside. */
export function leadQuestion(flow: LeadFlow): string | undefined {
  if (flow.confirming) return confirmQuestion(flow.confirming);
  return flow.asking && QUESTIONS[flow.asking];
}

/** Takes the caller's answer to the pending question. */
export function answerLead(
  flow: LeadFlow,
  profile: CallerProfile,
  text: string,
): FlowResult<LeadFlow> {
  if (flow.confirming) return answerReadBack(flow, flow.confirming, profile, text);
  const slot = flow.asking;
  if (!slot) return askNext(flow, profile, '');
  const value = read(slot, text, flow.retried);
  if (!value && !flow.retried) {
    return { flow: { ...flow, retried: true }, profile, turn: turn(REASKS[slot], `reask_${slot}`) };
  }
  if (slot === 'contact' && value) return readBack(flow, value, profile);
  return settle(flow, slot, value, profile);
}

/** Reads the contact back and waits for the caller to confirm it. */
function readBack(flow: LeadFlow, contact: Contact, profile: CallerProfile): FlowResult<LeadFlow> {
  return {
    flow: { ...flow, confirming: contact, retried: false },
    profile,
    turn: turn(confirmQuestion(contact), 'confirm_contact'),
  };
}

/** The caller's answer to a read-back: a correction, a yes, a no, or neither. */
function answerReadBack(
  flow: LeadFlow,
  contact: Contact,
  profile: CallerProfile,
  text: string,
): FlowResult<LeadFlow> {
  const corrected = parseContact(text);
  const same =
    corrected !== undefined &&
    corrected.email === contact.email &&
    corrected.phone === contact.phone;
  if (corrected && !same) return readBack(flow, corrected, profile);
  const yes = same || parseYesNo(text);
  const rest: LeadFlow = { ...flow, confirming: undefined };
  if (yes === true) return settle(rest, 'contact', contact, profile);
  if (yes === false) {
    const denied = flow.denied + 1;
    if (denied >= MAX_DENIALS) return settle({ ...rest, denied }, 'contact', undefined, profile);
    const say = contact.email
      ? 'Sorry about that. Could you say the email address again?'
      : 'Sorry about that. Could you say the number again, digit by digit?';
    return {
      flow: { ...rest, asking: 'contact', retried: true, denied },
      profile,
      turn: turn(say, 'correct_contact'),
    };
  }
  if (!flow.retried) {
    const say = `Sorry, is that a yes or a no: ${spokenContact(contact)}?`;
    return { flow: { ...flow, retried: true }, profile, turn: turn(say, 'reconfirm_contact') };
  }
  // Asked twice without a no: keep what was heard rather than lose the lead's only contact.
  return settle(rest, 'contact', contact, profile);
}

/** Records `slot` as answered (or given up on, without `value`) and asks the next one. */
function settle(
  flow: LeadFlow,
  slot: LeadSlot,
  value: Partial<CaptureLeadArgs> | undefined,
  profile: CallerProfile,
): FlowResult<LeadFlow> {
  const lead = { ...flow.lead, ...value };
  const settled = [...flow.settled, slot];
  const known: CallerProfile = { ...profile };
  if (value?.name) known.name = value.name;
  if (value?.email) known.email = value.email;
  if (value?.phone) known.phone = value.phone;
  const ack = value ? ACKS[slot](lead) : 'No problem, let me move on.';
  return askNext({ ...flow, lead, settled }, known, ack);
}

/** The reply once `capture_lead` has answered. */
export function leadSaved(
  flow: LeadFlow,
  profile: CallerProfile,
  output: { text: string; isError: boolean },
): FlowResult<LeadFlow> {
  const name = flow.saving?.name === NAME_NOT_GIVEN ? undefined : flow.saving?.name;
  const say = output.isError
    ? sentences(
        `I'm sorry${name ? `, ${name}` : ''}, I couldn't save your details just now.`,
        output.text,
      )
    : `Thank you${name ? `, ${name}` : ''}! Someone from our team will be in touch soon.`;
  return {
    flow: undefined,
    profile,
    turn: {
      say,
      decision: { kind: 'tool_result', tool: CAPTURE_LEAD_TOOL, isError: output.isError },
    },
  };
}
