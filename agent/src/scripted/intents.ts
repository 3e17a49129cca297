/**
 * What a caller's sentence asks for, as far as the scripted responder's conversation flows care:
 * fixed patterns for the everyday intents (goodbye, cancel, "are you a robot?", wanting to buy, to
 * book, to be called back or never to be called again) and loose matching for the phrases a persona configures (escalation, handoffs, tools).
 */
import { splitWords } from '../text/words.js';
import { terms } from '../knowledge/knowledge-matcher.js';
import { stem, STOPWORDS } from '../text/word-forms.js';

/** The caller's words, lower case and single-spaced, punctuation gone. */
export const said = (text: string) => splitWords(text).join(' ');

const GOODBYE =
  /\b(good ?bye|bye|bye bye|see you|see ya|that's all|that is all|that will be all|that's it for now|have a (good|nice|great) (day|one))\b/;
const CANCEL =
  /\b(never ?mind|nevermind|cancel|forget (it|that|about it)|stop (it|that)|don't bother)\b/;
const ASKS_IF_AI = new RegExp(
  '\\b(are you|am i (talking|speaking|chatting) (to|with)|is this|is that|was that)\\b.{0,15}' +
    '\\b(robot|bot|ai|a i|artificial|machine|computer|automated|human|real person|person|recording)\\b',
);
const WANTS_LEAD = new RegExp(
  [
    "\\b(i'm|i am|we're|we are) (very |really )?interested\\b",
    '\\binterested in\\b',
    '\\b(get|getting|want|need|like) (a |an )?(quote|estimate|proposal)\\b',
    '\\bpricing (for|on)\\b',
    '\\bsign(ing)? (me |us )?up\\b',
    '\\b(someone|somebody) (to )?(contact|call|reach) (me|us)\\b',
    '\\b(contact|call|reach) me back\\b',
    '\\bget in touch\\b',
    '\\b(talk|speak) to (sales|your sales)\\b',
    '\\bbecome a (customer|client)\\b',
  ].join('|'),
);
const WANTS_BOOKING = new RegExp(
  [
    "\\b(book|schedule|make|set up|arrange|reserve)\\b[a-z' ]{0,30}\\b(appointment|visit|meeting|booking|consultation|slot|call)\\b",
    '\\bbook (me|us|a time|in)\\b',
    '\\bappointment\\b',
  ].join('|'),
);

const NOT = "(don't|dont|do not|never)";
const US = '(me|us|my number|this number)';
const OPT_OUT = new RegExp(
  [
    `\\b${NOT} (ever )?(call|phone|ring|contact) ${US}( ever)? (again|anymore|any more)\\b`,
    // "please do not call me": the end of what was said, not "don't call me before noon"
    `\\b${NOT} (ever )?(call|phone|ring|contact) ${US}( please| thanks| thank you)?$`,
    `\\bstop (calling|phoning|ringing|contacting)( ${US}\\b| please\\b|$)`,
    `\\b(take|remove|delete|cross|strike) ${US} (off|from) (your|the|this|all|any) ([a-z]+ )?lists?\\b`,
    `\\b(put|add) ${US} (on|to) (your|the) (do not|don't|dont) call list\\b`,
    `\\b(don't|dont|do not) want (any more|anymore|any|more|these|your) (phone )?calls\\b`,
    '\\blose my number\\b',
    '\\bunsubscribe\\b',
  ].join('|'),
);
const WEEKDAY = '(monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const WANTS_CALLBACK = new RegExp(
  [
    '\\b(call|ring|phone) (me|us) back\\b',
    '\\b(a|the) call ?back\\b',
    '\\bcallback\\b',
    '\\b(call|ring|phone) (me|us) (later|again later|another time|tomorrow|tonight|' +
      `this (morning|afternoon|evening)|next week|on ${WEEKDAY}|in (a|an|\\w+) (minutes?|hours?|days?))\\b`,
  ].join('|'),
);
/** "don't call me back", "no need to call me": not a request for a call. */
const DECLINES_CALL = new RegExp(`\\b(${NOT}|no need to|not) (ever )?(call|ring|phone)\\b`);

/**
 * "don't call me again", "stop calling me", "take me off your list", "please do not call me":
 * the caller opts out of further calls.
 */
export const wantsOptOut = (text: string) => OPT_OUT.test(said(text));
/** "call me back tomorrow at three", "can you call me later", "call me on friday morning". */
export function wantsCallback(text: string): boolean {
  const words = said(text);
  return WANTS_CALLBACK.test(words) && !DECLINES_CALL.test(words);
}
/** "goodbye", "bye", "that's all". */
export const isGoodbye = (text: string) => GOODBYE.test(said(text));
/** "never mind", "cancel", "forget it": leave the form being filled. */
export const isCancel = (text: string) => CANCEL.test(said(text));
/** "am I talking to a robot?", "are you a real person?", "is this an AI?". */
export const asksIfAI = (text: string) => ASKS_IF_AI.test(said(text));
/** "I'm interested", "get a quote", "pricing for my business", "someone to contact me". */
export const wantsLead = (text: string) => WANTS_LEAD.test(said(text));
/** "book an appointment", "schedule a call", "make a booking". */
export const wantsBooking = (text: string) => WANTS_BOOKING.test(said(text));

/** Whether `needle` occurs in `haystack` in order, other words allowed between. */
function inOrder(needle: readonly string[], haystack: readonly string[]): boolean {
  let at = 0;
  for (const word of haystack) if (word === needle[at]) at++;
  return needle.length > 0 && at === needle.length;
}

const stems = (text: string) =>
  splitWords(text)
    .filter((w) => !STOPWORDS.has(w))
    .map(stem);

/**
 * Whether a sentence says a configured phrase, loosely: the phrase's words, inflected or not,
 * in the same order with other words allowed between ("I'd like to speak with a human" says
 * "speak to a human"). Phrases of two or more topic words also match through the knowledge
 * matcher's everyday synonyms ("talk to a person" says "speak to a human"); a one-word phrase
 * must be said as such, so "operator" is not triggered by every "someone".
 */
export function saysPhrase(text: string, phrase: string): boolean {
  if (inOrder(stems(phrase), stems(text))) return true;
  const wanted = terms(phrase);
  return wanted.length >= 2 && inOrder(wanted, terms(text));
}

/** Whether a sentence says any of `phrases`. */
export const saysAny = (text: string, phrases: readonly string[]) =>
  phrases.some((phrase) => saysPhrase(text, phrase));
