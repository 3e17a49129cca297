/**
 * Phone figures through livekit-sip with a real SIP phone (baresip, G.722, offline stack):
 * INVITE → 200 OK as the caller's phone sees it, voice-to-voice measured on the caller's own
 * recordings (end of the caller's speech in what the phone sent → first agent sound in what it
 * heard; both files start with the call's audio), and outbound dial → answered.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Persona } from '@parley/contracts';
import { admin, eventually, putPersona } from '../support/calls.js';
import {
  assignNumber,
  callIn,
  callsAnyTime,
  putOutboundTrunk,
  removeOutboundTrunk,
  unassignNumber,
} from '../support/phone-calls.js';
import { SipPhone } from '../support/sip-phone.js';
import type { TestStack } from '../support/stack-env.js';
import { soundStretches } from '../support/transcribe.js';
import { BENCH_QUESTIONS } from './bench-persona.js';
import { parseWav, synthesize, type Pcm } from '../support/wav.js';

export interface PhoneTurn {
  question: string;
  /** End of the caller's speech → first sound of the agent's answer, on the phone's clock. */
  voiceToVoiceMs: number;
}

export interface PhoneRun {
  answerMs: number[];
  turns: PhoneTurn[];
  asked: number;
  outboundAnsweredMs: number[];
}

const LINE = '+15550900001';
const CALLER = '+15550900100';
const CUSTOMER = '+15550900200';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function lastWav(files: Promise<string[]>): Promise<Pcm> {
  const file = (await files).at(-1);
  if (!file) throw new Error('the phone recorded nothing');
  return parseWav(await readFile(file));
}

/** Waits until the phone's latest recording has `count` stretches of sound, the last one over. */
async function waitForStretches(phone: SipPhone, count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const heard = await lastWav(phone.heard());
    const stretches = soundStretches(heard);
    const heardMs = (heard.samples.length / heard.sampleRate) * 1000;
    const last = stretches.at(-1);
    if (stretches.length >= count && last && heardMs - last[1] > 1200) return stretches;
    await sleep(250);
  }
  throw new Error(`the agent did not answer within ${timeoutMs} ms`);
}

/** `calls` inbound calls for INVITE → answer, then one call with `turns` spoken questions. */
export async function measurePhone(
  stack: TestStack,
  persona: Persona,
  { calls, turns, workDir }: { calls: number; turns: number; workDir: string },
  log: (line: string) => void,
): Promise<PhoneRun> {
  await assignNumber(stack, LINE, persona.id);
  const run: PhoneRun = { answerMs: [], turns: [], asked: 0, outboundAnsweredMs: [] };
  try {
    for (let i = 0; i < calls; i++) {
      const { phone, answerMs } = await callIn(stack, CALLER, LINE);
      run.answerMs.push(answerMs);
      await waitForStretches(phone, 1, 30_000);
      await phone.stop();
      await sleep(500);
    }
    log(`INVITE → 200 OK ms: ${run.answerMs.join(', ')}`);

    // The bench's questions (all in the default persona's knowledge): none asks for a person,
    // which would end or transfer the call.
    const questions = [...BENCH_QUESTIONS];
    const spoken: Pcm[] = [];
    for (const [i, q] of questions.entries()) {
      spoken.push(await synthesize(q, path.join(workDir, `phone-q${i}.wav`)));
    }
    const { phone } = await callIn(stack, CALLER, LINE);
    try {
      let heardCount = (await waitForStretches(phone, 1, 30_000)).length;
      for (let t = 0; t < turns; t++) {
        const question = questions[t % questions.length] as string;
        await phone.say(spoken[t % spoken.length] as Pcm);
        run.asked++;
        const heard = await waitForStretches(phone, heardCount + 1, 30_000).catch(() => undefined);
        if (!heard) continue;
        heardCount = heard.length;
        const said = soundStretches(await lastWav(phone.said()));
        const speechEnd = said.at(-1)?.[1];
        // The answer's first sound: it may run to several sentences, each a stretch of its own.
        const reply = heard.find(([start]) => speechEnd !== undefined && start > speechEnd)?.[0];
        if (speechEnd !== undefined && reply !== undefined) {
          run.turns.push({ question, voiceToVoiceMs: Math.round(reply - speechEnd) });
        }
      }
    } finally {
      await phone.stop();
    }
    log(`phone v2v ms: ${run.turns.map((t) => t.voiceToVoiceMs).join(', ')}`);

    const customer = await SipPhone.start({ number: CUSTOMER });
    try {
      await admin(stack, '/v1/dial-policy', {
        method: 'PUT',
        body: JSON.stringify({ allowedPrefixes: ['+1555'], maxConcurrentPhoneCalls: 5 }),
      });
      // Business hours are calling hours: a copy without them may call whenever the bench runs.
      await putPersona(stack, callsAnyTime(persona, `${persona.id}-outbound`));
      await putOutboundTrunk(stack, 'bench', customer.address, [LINE]);
      for (let i = 0; i < calls; i++) {
        const before = customer.events.length;
        const sentAt = Date.now();
        const { callId } = await admin<{ callId: string }>(stack, '/v1/calls/outbound', {
          method: 'POST',
          body: JSON.stringify({ persona: `${persona.id}-outbound`, to: CUSTOMER }),
        });
        const answered = await customer.waitFor('CALL_ESTABLISHED', 30_000, before);
        run.outboundAnsweredMs.push(answered.at - sentAt);
        // A real call: the greeting, then the customer hangs up and the call is over before the
        // next one (the tenant's limit of phone calls at once counts calls still open).
        await waitForStretches(customer, 1, 30_000);
        await customer.hangup();
        await eventually(
          'the outbound call closed',
          () => admin<{ status: string }>(stack, `/v1/calls/${callId}`),
          (call) => call.status === 'ended',
          60_000,
        );
      }
      log(`outbound dial → answered ms: ${run.outboundAnsweredMs.join(', ')}`);
    } finally {
      await customer.stop();
      await removeOutboundTrunk(stack, 'bench');
    }
  } finally {
    await unassignNumber(stack, LINE);
  }
  return run;
}
