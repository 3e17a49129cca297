/**
 * Appointment booking: asks for a day and time, checks it against the business hours itself
 * (proposing the next open slots when it falls outside), asks for a name unless the caller gave
 * one already, then calls `book_appointment`. When the server refuses the slot (taken, or
 * outside hours), the refused time is never asked for again and the caller gets alternatives.
 */
import {
  type BookAppointmentArgs,
  type BusinessHours,
  freeSlots,
  type Interval,
  isWithinBusinessHours,
  wallClock,
} from '@parley/contracts';
import {
  instantOf,
  isoInZone,
  type LocalDay,
  nextDay,
  parseWhen,
  spokenClock,
  spokenDay,
  spokenList,
  spokenTime,
  spokenTimes,
} from './appointment-time.js';
import type { CallerProfile, FlowResult, ToolCallRequest, Turn } from './dialogue-context.js';
import { sentences } from './dialogue-context.js';
import { said } from './intents.js';
import { parseName } from './parsers.js';
import { isoInstants, parseToolOutput, stringField } from './tool-output.js';

export const BOOK_APPOINTMENT_TOOL = 'book_appointment';

const MINUTE = 60_000;
/** How far ahead open times are looked for. */
const SEARCH_DAYS = 14;
/** How many times are offered at once. */
const OFFER_COUNT = 3;
/** Confirmation codes longer than this (database ids) are not read out. */
const MAX_SPOKEN_CODE = 12;

interface BookingState {
  kind: 'booking';
  /** The day under discussion when the caller named a day but no time. */
  day?: LocalDay;
  /** Starts offered to the caller (epoch ms), in the order offered. */
  offered: number[];
  /** Starts the server refused; never requested again. */
  refused: number[];
  /** Whether the pending question has been asked a second time. */
  retried: boolean;
}

/** Choosing a time; or, with a start that fits the hours, asking the name or booking it. */
export type BookingFlow =
  | (BookingState & { step: 'when' })
  | (BookingState & { step: 'name'; startsAt: number })
  | ConfirmingBooking;
/** Waiting for `book_appointment` to answer. */
export type ConfirmingBooking = BookingState & { step: 'confirming'; startsAt: number };

export interface BookingContext {
  hours: BusinessHours;
  now: Date;
}

type Result = FlowResult<BookingFlow>;

const turn = (say: string, step: string, call?: ToolCallRequest): Turn => ({
  say,
  ...(call ? { call } : {}),
  decision: { kind: 'booking', step },
});

const ASK_WHEN = 'What day and time would suit you?';
const ASK_NAME = 'What name should I put the appointment under?';

function slotAt(ctx: BookingContext, start: number): Interval {
  return { start: new Date(start), end: new Date(start + ctx.hours.appointmentMinutes * MINUTE) };
}

/** The first start worth offering: a slot starting this very minute is already under way. */
const earliest = (ctx: BookingContext) => ctx.now.getTime() + MINUTE;

/** The flow back at choosing a time, with `offered` (on `day`) to pick from. */
const choosing = (flow: BookingFlow, offered: number[], day?: LocalDay): BookingFlow => ({
  kind: 'booking',
  step: 'when',
  offered,
  refused: flow.refused,
  retried: flow.retried,
  ...(day ? { day } : {}),
});

/** Offers the next open times from `from`, or gives up when there are none. */
function propose(
  ctx: BookingContext,
  flow: BookingFlow,
  profile: CallerProfile,
  from: number,
  why: string,
): Result {
  const start = Math.max(from, earliest(ctx));
  const slots = freeSlots(
    ctx.hours,
    new Date(start),
    new Date(start + SEARCH_DAYS * 24 * 60 * MINUTE),
    flow.refused.map((r) => slotAt(ctx, r)),
    OFFER_COUNT,
  );
  if (slots.length === 0) {
    const say = sentences(why, "I'm sorry, I can't find an open time in the next two weeks.");
    return { flow: undefined, profile, turn: turn(say, 'no_slots') };
  }
  const offered = slots.map((s) => s.start.getTime());
  const times = spokenTimes(
    slots.map((s) => s.start),
    ctx.hours.timeZone,
  );
  const say = sentences(why, `The next open times are ${times}.`, 'Which would suit you?');
  return {
    flow: choosing(flow, offered),
    profile,
    turn: turn(say, 'offer'),
  };
}

/** Offers the open times of one day the caller named without a time. */
function offerDay(
  ctx: BookingContext,
  flow: BookingFlow,
  profile: CallerProfile,
  day: LocalDay,
): Result {
  const { timeZone } = ctx.hours;
  const dayStart = instantOf(day, undefined, timeZone).getTime();
  const dayEnd = instantOf(nextDay(day), undefined, timeZone).getTime();
  const now = ctx.now.getTime();
  if (dayEnd <= now) return propose(ctx, flow, profile, now, 'That day has already passed.');
  const slots = freeSlots(
    ctx.hours,
    new Date(Math.max(dayStart, earliest(ctx))),
    new Date(dayEnd),
    flow.refused.map((r) => slotAt(ctx, r)),
    OFFER_COUNT,
  );
  const dayName = spokenDay(new Date(Math.max(dayStart, now)), timeZone);
  if (slots.length === 0) {
    return propose(ctx, flow, profile, dayEnd, `Sorry, we have no open times on ${dayName}.`);
  }
  const clocks = slots.map((s) => spokenClock(s.start, timeZone));
  const say = sentences(
    `On ${dayName} I can offer ${spokenList(clocks)}.`,
    'Which would suit you?',
  );
  return {
    flow: choosing(
      flow,
      slots.map((s) => s.start.getTime()),
      day,
    ),
    profile,
    turn: turn(say, 'offer_day'),
  };
}

/** Calls `book_appointment` for `start`. */
function book(
  ctx: BookingContext,
  flow: BookingFlow,
  profile: CallerProfile,
  start: number,
  name: string,
): Result {
  const args: BookAppointmentArgs = {
    startsAt: isoInZone(new Date(start), ctx.hours.timeZone),
    name,
    ...(profile.email ? { email: profile.email } : {}),
    ...(profile.phone ? { phone: profile.phone } : {}),
  };
  const say = `Let me book ${spokenTime(new Date(start), ctx.hours.timeZone)} for you, ${name}.`;
  return {
    flow: { ...choosing(flow, []), step: 'confirming', startsAt: start, retried: false },
    profile: { ...profile, name },
    turn: turn(say, 'book', { name: BOOK_APPOINTMENT_TOOL, args: { ...args } }),
  };
}

/** Takes a start the caller chose: checks it, then asks for a name or books. */
function choose(
  ctx: BookingContext,
  flow: BookingFlow,
  profile: CallerProfile,
  start: number,
): Result {
  const now = ctx.now.getTime();
  const slot = slotAt(ctx, start);
  if (start <= now) return propose(ctx, flow, profile, now, 'That time has already passed.');
  if (flow.refused.includes(start)) {
    return propose(ctx, flow, profile, start, 'That time is already taken.');
  }
  if (!isWithinBusinessHours(ctx.hours, slot.start, slot.end)) {
    return propose(ctx, flow, profile, start, "Sorry, we're not open then.");
  }
  if (profile.name) return book(ctx, flow, profile, start, profile.name);
  const say = sentences(`${spokenTime(slot.start, ctx.hours.timeZone)} is free.`, ASK_NAME);
  return {
    flow: { ...choosing(flow, []), step: 'name', startsAt: start, retried: false },
    profile,
    turn: turn(say, 'ask_name'),
  };
}

const ORDINALS: [RegExp, (n: number) => number][] = [
  [/\b(first|1st|earliest|earlier one)\b/, () => 0],
  [/\b(second|2nd|middle)\b/, () => 1],
  [/\b(third|3rd)\b/, () => 2],
  [/\b(last|latest|later one)\b/, (n) => n - 1],
];
const AGREES = /^(yes|yeah|yep|sure|ok|okay|that works|sounds good|perfect|great|fine)\b/;

/** Which offered time the caller picked: "the second one", "yes", "the 10:30". */
function pickOffered(ctx: BookingContext, flow: BookingFlow, text: string): number | undefined {
  const { offered } = flow;
  if (offered.length === 0) return undefined;
  const words = said(text);
  for (const [pattern, index] of ORDINALS) {
    if (pattern.test(words)) return offered[Math.min(index(offered.length), offered.length - 1)];
  }
  const when = parseWhen(text, ctx.now, ctx.hours.timeZone);
  if (when?.time && !when.dayGiven) {
    const { hour, minute } = when.time;
    const match = offered.find((o) => {
      const clock = wallClock(new Date(o), ctx.hours.timeZone);
      return clock.hour === hour && clock.minute === minute;
    });
    if (match !== undefined) return match;
  }
  return !when && AGREES.test(words) ? offered[0] : undefined;
}

/** Reads the day and time the caller answered with. */
function answerWhen(
  ctx: BookingContext,
  flow: BookingFlow,
  profile: CallerProfile,
  text: string,
): Result {
  const picked = pickOffered(ctx, flow, text);
  if (picked !== undefined) return choose(ctx, flow, profile, picked);
  const when = parseWhen(text, ctx.now, ctx.hours.timeZone);
  if (!when) {
    if (flow.retried) return propose(ctx, flow, profile, ctx.now.getTime(), '');
    const say =
      "Sorry, I didn't catch a day and time. You could say, for example, Tuesday at 10 AM.";
    return { flow: { ...flow, retried: true }, profile, turn: turn(say, 'reask_when') };
  }
  const day = when.dayGiven ? when.day : (flow.day ?? when.day);
  if (!when.time) return offerDay(ctx, flow, profile, day);
  return choose(ctx, flow, profile, instantOf(day, when.time, ctx.hours.timeZone).getTime());
}

/** Starts booking; a day and time in the request itself ("book me in tomorrow at 10") is used. */
export function startBooking(ctx: BookingContext, profile: CallerProfile, text: string): Result {
  const flow: BookingFlow = {
    kind: 'booking',
    step: 'when',
    offered: [],
    refused: [],
    retried: false,
  };
  if (parseWhen(text, ctx.now, ctx.hours.timeZone)) return answerWhen(ctx, flow, profile, text);
  const say = sentences('Sure, I can book that for you.', ASK_WHEN);
  return { flow, profile, turn: turn(say, 'ask_when') };
}

/** Takes the caller's answer to the pending question. */
export function answerBooking(
  ctx: BookingContext,
  flow: BookingFlow,
  profile: CallerProfile,
  text: string,
): Result {
  if (flow.step !== 'name') return answerWhen(ctx, flow, profile, text);
  const name = parseName(text, { lenient: flow.retried });
  if (name) return book(ctx, flow, profile, flow.startsAt, name);
  const say = "Sorry, I didn't catch the name. Could you say it again?";
  return { flow: { ...flow, step: 'name', retried: true }, profile, turn: turn(say, 'reask_name') };
}

/** The question the flow is waiting on, to repeat it after an aside. */
export function bookingQuestion(ctx: BookingContext, flow: BookingFlow): string | undefined {
  if (flow.step === 'name') return ASK_NAME;
  if (flow.step === 'confirming') return undefined;
  if (flow.offered.length === 0) return ASK_WHEN;
  const times = spokenTimes(
    flow.offered.map((o) => new Date(o)),
    ctx.hours.timeZone,
  );
  return `Which would suit you: ${times}?`;
}

/** Why the server refused a time, in the caller's terms. */
function refusal(error: string): string {
  if (/outside|closed|business hours|not open/i.test(error)) return "Sorry, we're not open then.";
  if (/taken|overlap|already booked|unavailable|not available|conflict/i.test(error)) {
    return 'Sorry, that time has just been taken.';
  }
  return "Sorry, I couldn't book that time.";
}

/** The reply once `book_appointment` has answered: the confirmation, or other times. */
export function bookingDone(
  ctx: BookingContext,
  flow: ConfirmingBooking,
  profile: CallerProfile,
  output: { text: string; isError: boolean },
): Result {
  const requested = flow.startsAt;
  const { timeZone } = ctx.hours;
  if (!output.isError) {
    const result = parseToolOutput(output.text);
    const field = stringField(result, ['startsAt', 'start', 'startTime']);
    const booked = (field ? isoInstants(field)[0] : undefined) ?? isoInstants(output.text)[0];
    const code = stringField(result, ['confirmationCode', 'confirmation', 'reference', 'code']);
    const say = sentences(
      `You're all set${profile.name ? `, ${profile.name}` : ''}.`,
      `Your appointment is on ${spokenTime(booked ?? new Date(requested), timeZone)}.`,
      code && code.length <= MAX_SPOKEN_CODE
        ? `Your confirmation code is ${code.split('').join(' ')}.`
        : undefined,
    );
    return {
      flow: undefined,
      profile,
      turn: {
        say,
        decision: { kind: 'tool_result', tool: BOOK_APPOINTMENT_TOOL, isError: false },
      },
    };
  }
  const refused = [...flow.refused, requested];
  const retry = choosing({ ...flow, refused, retried: false }, []);
  const why = refusal(output.text);
  // The server's refusal names the requested slot first, then the free ones after this marker.
  const marker = /free slots?:/i.exec(output.text);
  const alternatives = isoInstants(marker ? output.text.slice(marker.index) : output.text)
    .map((d) => d.getTime())
    .filter((t) => t > ctx.now.getTime() && !refused.includes(t))
    .slice(0, OFFER_COUNT);
  if (alternatives.length === 0) return propose(ctx, retry, profile, requested, why);
  const times = spokenTimes(
    alternatives.map((t) => new Date(t)),
    timeZone,
  );
  return {
    flow: choosing(retry, alternatives),
    profile,
    turn: turn(sentences(why, `I can offer ${times}.`, 'Which would suit you?'), 'offer'),
  };
}
