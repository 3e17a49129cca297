/**
 * Phone calls in the suites: numbers assigned through the admin API, a baresip phone that calls
 * them through livekit-sip, and what LiveKit and the call records say afterwards.
 */
import assert from 'node:assert/strict';
import { RoomServiceClient, SipClient } from 'livekit-server-sdk';
import { admin, eventually, type StoredCall } from './calls.js';
import { SipPhone, type SipPhoneOptions } from './sip-phone.js';
import type { TestStack } from './stack-env.js';
import { transcribeRecording, type Utterance } from './transcribe.js';

/** A phone call's record as the admin API serves it (the phone fields the suites read). */
export interface StoredPhoneCall extends StoredCall {
  channel: 'web' | 'phone';
  caller: { phoneNumber?: string; name?: string };
  dialedNumber?: string;
  direction?: 'inbound' | 'outbound';
  phoneStatus?: string;
  legs?: Array<{ kind: string; identity: string; phoneNumber?: string; status?: string }>;
  warnings?: Array<{ code: string; message: string }>;
  turns: Array<StoredCall['turns'][number] & { dtmf?: string }>;
}

export function livekitClients(stack: TestStack) {
  const http = stack.livekitUrl.replace(/^ws/, 'http');
  const { livekitApiKey: key, livekitApiSecret: secret } = stack.secrets;
  return { sip: new SipClient(http, key, secret), rooms: new RoomServiceClient(http, key, secret) };
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
