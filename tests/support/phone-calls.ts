/**
 * Phone calls in the suites: numbers assigned through the admin API, a baresip phone that calls
 * them through livekit-sip, and what LiveKit and the call records say afterwards.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Persona, PersonaInput } from '@parley/contracts';
import { AgentDispatchClient, RoomServiceClient, SipClient } from 'livekit-server-sdk';
import { admin, eventually, type StoredCall } from './calls.js';
import { SipPhone, type SipPhoneOptions } from './sip-phone.js';
import type { TestStack } from './stack-env.js';
import { soundStretches, transcribeRecording, heardAs, type Utterance } from './transcribe.js';
import { parseWav } from './wav.js';

/** A phone call's record as the admin API serves it (the phone fields the suites read). */
export interface StoredPhoneCall extends StoredCall {
  channel: 'web' | 'phone';
  caller: { phoneNumber?: string; name?: string };
  dialedNumber?: string;
  direction?: 'inbound' | 'outbound';
  phoneStatus?: string;
  legs?: Array<{
    kind: string;
    identity: string;
    phoneNumber?: string;
    status?: string;
    endedAt?: string;
  }>;
  warnings?: Array<{ code: string; message: string }>;
  turns: Array<StoredCall['turns'][number] & { dtmf?: string }>;
}

export function livekitClients(stack: TestStack) {
  const http = stack.livekitUrl.replace(/^ws/, 'http');
  const { livekitApiKey: key, livekitApiSecret: secret } = stack.secrets;
  return {
    sip: new SipClient(http, key, secret),
    rooms: new RoomServiceClient(http, key, secret),
    dispatches: new AgentDispatchClient(http, key, secret),
  };
}

/** Routes `e164` to a persona (the admin API provisions LiveKit's trunk and dispatch rule). */
export async function assignNumber(
  stack: TestStack,
  e164: string,
  personaId: string,
  access: { allowedAddresses?: string[]; authUsername?: string; authPassword?: string } = {},
): Promise<void> {
  await admin(stack, `/v1/phone-numbers/${encodeURIComponent(e164)}`, {
    method: 'PUT',
    body: JSON.stringify({ personaId, ...access }),
  });
}

export async function unassignNumber(stack: TestStack, e164: string): Promise<void> {
  await fetch(`${stack.url}/v1/phone-numbers/${encodeURIComponent(e164)}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${stack.secrets.adminKey}` },
  });
}

/**
 * Puts an outbound trunk to `address` (a test phone) in place for the default tenant; the suite
 * removes it afterwards: a tenant's calls dial through its first trunk unless told otherwise.
 */
export async function putOutboundTrunk(
  stack: TestStack,
  name: string,
  address: string,
  numbers: string[],
): Promise<void> {
  await admin(stack, `/v1/outbound-trunks/${name}`, {
    method: 'PUT',
    body: JSON.stringify({ address, numbers }),
  });
}

export async function removeOutboundTrunk(stack: TestStack, name: string): Promise<void> {
  await fetch(`${stack.url}/v1/outbound-trunks/${name}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${stack.secrets.adminKey}` },
  });
}

/** Every stored call (newest first), with details. */
export async function phoneCallsFrom(
  stack: TestStack,
  phoneNumber: string,
): Promise<StoredPhoneCall[]> {
  const page = await admin<{ items: StoredPhoneCall[] }>(stack, '/v1/calls?limit=100');
  const mine = page.items.filter((c) => c.caller?.phoneNumber === phoneNumber);
  return Promise.all(mine.map((c) => admin<StoredPhoneCall>(stack, `/v1/calls/${c.id}`)));
}

/** The one stored call of a caller's number, once `done` holds for it. */
export async function phoneCallOf(
  stack: TestStack,
  phoneNumber: string,
  done: (call: StoredPhoneCall) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<StoredPhoneCall> {
  const calls = await eventually(
    `the call record of ${phoneNumber}`,
    () => phoneCallsFrom(stack, phoneNumber),
    (found) => found.length > 0 && done(found[0] as StoredPhoneCall),
    timeoutMs,
  );
  return calls[0] as StoredPhoneCall;
}

/** LiveKit rooms that hold a participant for `phoneNumber` (SIP identities are `sip_<number>`). */
export async function roomsWithCaller(stack: TestStack, phoneNumber: string): Promise<string[]> {
  const { rooms } = livekitClients(stack);
  const found: string[] = [];
  for (const room of await rooms.listRooms()) {
    const participants = await rooms.listParticipants(room.name).catch(() => []);
    if (participants.some((p) => p.attributes['sip.phoneNumber'] === phoneNumber)) {
      found.push(room.name);
    }
  }
  return found;
}

export interface PlacedCall {
  phone: SipPhone;
  /** INVITE sent → 200 OK received, as the caller's phone saw it. */
  answerMs: number;
}

/** A phone (`from`) calls `to` through livekit-sip and waits until the call is answered. */
export async function callIn(
  stack: TestStack,
  from: string,
  to: string,
  options: Omit<SipPhoneOptions, 'number'> = {},
): Promise<PlacedCall> {
  const phone = await SipPhone.start({ number: from, ...options });
  try {
    const sentAt = await phone.dial(to, stack.sipAddress);
    const established = await phone.waitFor('CALL_ESTABLISHED', 30_000);
    return { phone, answerMs: established.at - sentAt };
  } catch (error) {
    await phone.stop();
    throw error;
  }
}

/**
 * Waits until the phone has heard `count` utterances in its latest call (transcribed offline),
 * and answers them.
 */
export async function heardUtterances(
  phone: SipPhone,
  count: number,
  timeoutMs = 60_000,
): Promise<Utterance[]> {
  return eventually(
    `${count} utterance(s) heard by ${phone.number}`,
    async () => {
      const recording = (await phone.heard()).at(-1);
      assert.ok(recording, `${phone.number} has recorded nothing yet`);
      return transcribeRecording(recording);
    },
    (utterances) => utterances.length >= count,
    timeoutMs,
  );
}

/**
 * The agent's greeting as the phone heard it: its first utterances (the agent speaks it a
 * sentence at a time), once they hold at least half its words — or whatever was heard by then.
 */
export async function heardGreeting(
  phone: SipPhone,
  greeting: string,
  timeoutMs = 60_000,
): Promise<{ text: string; utterances: number }> {
  const sentences = greeting.split(/(?<=[.!?])\s+/).filter(Boolean).length;
  const deadline = Date.now() + timeoutMs;
  let heard: Utterance[] = [];
  while (Date.now() < deadline) {
    heard = await heardUtterances(phone, 1, Math.max(1, deadline - Date.now()));
    for (let n = 1; n <= Math.min(heard.length, sentences); n++) {
      const text = heard
        .slice(0, n)
        .map((u) => u.text)
        .join(' ');
      if (heardAs(greeting, text)) return { text, utterances: n };
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { text: heard.map((u) => u.text).join(' '), utterances: heard.length };
}

/**
 * What the phone has heard in its latest call once it has heard at least `atLeast` utterances
 * and the line has then been quiet for `quietMs` (the far end finished speaking), transcribed.
 */
export async function settledUtterances(
  phone: SipPhone,
  { atLeast = 1, quietMs = 2_500, timeoutMs = 60_000 } = {},
): Promise<Utterance[]> {
  const settled = await eventually(
    `${phone.number}'s line to go quiet after ${atLeast} utterance(s)`,
    async () => {
      const recording = (await phone.heard()).at(-1);
      assert.ok(recording, `${phone.number} has recorded nothing yet`);
      const pcm = parseWav(await readFile(recording));
      const lengthMs = (pcm.samples.length / pcm.sampleRate) * 1000;
      const stretches = soundStretches(pcm);
      const lastSound = stretches.at(-1)?.[1] ?? 0;
      const quiet = stretches.length >= atLeast && lengthMs - lastSound >= quietMs;
      return quiet ? transcribeRecording(recording) : undefined;
    },
    (utterances) => utterances !== undefined,
    timeoutMs,
  );
  return settled ?? [];
}

/**
 * A copy of `persona` named `id` without business hours: those are its calling hours, so the
 * copy may place outbound calls whenever a suite runs.
 */
export function callsAnyTime(persona: Persona, id: string): PersonaInput {
  const copy: PersonaInput = { ...persona, id, name: id };
  delete copy.businessHours;
  return copy;
}
