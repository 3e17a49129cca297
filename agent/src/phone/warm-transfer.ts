import type { tts } from '@livekit/agents';
import { Room, RoomEvent, type RemoteParticipant } from '@livekit/rtc-node';
import type { CallInput, Persona, TransferDialResult } from '@parley/contracts';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import { randomUUID } from 'node:crypto';
import type { RecorderLogger } from '../recording/recorder-logger.js';
import type { AgentConfig } from '../config.js';
import { OutgoingAudio, relayMicrophone } from './audio-relay.js';
import type { PhoneApi } from './phone-api.js';

export type WarmTransferOutcome = 'connected' | 'no_answer' | 'busy' | 'failed';

/** How long the agent waits for the human's line to listen before it starts the briefing. */
const LISTEN_WAIT_MS = 3_000;

export interface WarmTransferOptions {
  /** The call's room, where the caller is. */
  room: Room;
  livekit: AgentConfig['livekit'];
  persona: Pick<Persona, 'name' | 'escalation'>;
  call: Pick<CallInput, 'roomName' | 'caller' | 'channel'>;
  /** Whom the agent is talking with now (the caller's participant). */
  callerIdentity(): string;
  /** The persona's voice, for the briefing. */
  tts: tts.TTS;
  api: PhoneApi;
  callId(): Promise<string>;
  /** What the caller has said so far, in order. */
  callerWords(): string[];
  /** Speaks to the caller (not into the conversation); resolves once played. */
  sayToCaller(text: string): Promise<void>;
  /** Stops (or restarts) the agent answering the caller: on hold, then handed over. */
  setListening(on: boolean): void;
  /** The human has the caller now; `relayed` means the agent stays, carrying the audio. */
  onConnected(how: 'moved' | 'relayed'): void;
  /** In a relayed transfer, the human hung up: the call is over. */
  onHumanLeft(): void;
  /** Registers clean-up for when the job ends. */
  onShutdown(cleanup: () => Promise<void>): void;
  logger: RecorderLogger;
}

/** What the human hears before they are connected: who is calling, and why. */
export function briefing(
  opts: Pick<WarmTransferOptions, 'persona' | 'call'>,
  reason: string,
  words: readonly string[],
): string {
  const { name, phoneNumber } = opts.call.caller ?? {};
  const from = phoneNumber && `calling from ${phoneNumber.split('').join(' ')}`;
  const someone = opts.call.channel === 'web' ? 'a visitor on the website' : 'a caller';
  const who = [name ?? (from ? 'a caller' : someone), from].filter(Boolean).join(', ');
  const said = words
    .filter((w) => w.trim())
    .slice(-3)
    .map((w) => w.trim().replace(/[.!?]*$/, '.'))
    .join(' ');
  return [
    `Hello, this is ${opts.persona.name}, the virtual assistant, with a transfer.`,
    `I have ${who} on the line.`,
    `Reason: ${reason.replace(/[.!?]*$/, '.')}`,
    said && `They said: ${said}`,
    'I am connecting you now.',
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * A warm transfer: the caller is put on hold; the persona's `escalation.transferTarget` is rung
 * (by the server, never a number from the model) into a consultation room, where the agent tells
 * them who is calling and why; then the human is moved into the call's room and the agent leaves.
 * Self-hosted livekit-server does not implement MoveParticipant: there the agent stays and
 * relays the audio between the two rooms until either side hangs up.
 * When nobody answers, the caller is told so (`escalation.noAnswerLine`) and the call goes on.
 */
export async function warmTransfer(
  opts: WarmTransferOptions,
  reason: string,
): Promise<WarmTransferOutcome> {
  const { persona, call, api, logger } = opts;
  const tag = randomUUID().slice(0, 8);
  const consultName = `${call.roomName}-consult-${tag}`;
  const human = `transfer-${tag}`;
  const rooms = new RoomServiceClient(
    opts.livekit.url.replace(/^ws/, 'http'),
    opts.livekit.apiKey,
    opts.livekit.apiSecret,
  );
  const consult = new Room();
  let briefingVoice: OutgoingAudio | undefined;
  let relays: (() => Promise<void>)[] = [];
  let closed: Promise<void> | undefined;
  const closeConsult = () =>
    (closed ??= (async () => {
      await Promise.all(relays.map((stop) => stop().catch(() => undefined)));
      await briefingVoice?.close().catch(() => undefined);
      await consult.disconnect().catch(() => undefined);
      // Deleting the room hangs up the human's leg, if it is still there (or still ringing).
      await rooms.deleteRoom(consultName).catch(() => undefined);
    })());
  // The caller may hang up while on hold: the human's leg must not outlive the call.
  opts.onShutdown(closeConsult);

  opts.setListening(false);
  let dial: TransferDialResult;
  try {
    const token = new AccessToken(opts.livekit.apiKey, opts.livekit.apiSecret, {
      identity: `parley-consult-${tag}`,
      ttl: '2h',
    });
    token.kind = 'agent';
    token.addGrant({ roomJoin: true, room: consultName, canPublish: true, canSubscribe: true });
    await consult.connect(opts.livekit.url, await token.toJwt(), {
      autoSubscribe: true,
      dynacast: false,
    });
    briefingVoice = await OutgoingAudio.publish(consult, 'parley-briefing');
    const callId = await opts.callId();
    logger.info({ consultRoom: consultName, human }, 'warm transfer: ringing the transfer target');
    dial = await api.transferDial(
      callId,
      { roomName: consultName, participantIdentity: human },
      persona.escalation.ringTimeoutSeconds,
    );
  } catch (error) {
    logger.error({ err: String(error) }, 'warm transfer: the target could not be rung');
    dial = { status: 'failed', participantIdentity: human };
  }
  if (dial.status !== 'answered') {
    await closeConsult();
    logger.info({ status: dial.status }, 'warm transfer: the target did not answer');
    opts.setListening(true);
    return dial.status === 'busy' || dial.status === 'no_answer' ? dial.status : 'failed';
  }

  const humanIdentity = dial.participantIdentity || human;
  const voice = briefingVoice as OutgoingAudio;
  const listening = consult.localParticipant?.trackPublications.values().next().value;
  await Promise.race([
    listening?.waitForSubscription().catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, LISTEN_WAIT_MS)),
  ]);
  const text = briefing(opts, reason, opts.callerWords());
  logger.info({ human: humanIdentity }, 'warm transfer: briefing the human');
  await voice.play(opts.tts.synthesize(text));
  if (!consult.remoteParticipants.has(humanIdentity)) {
    logger.info({ human: humanIdentity }, 'warm transfer: the human hung up during the briefing');
    await closeConsult();
    opts.setListening(true);
    return 'failed';
  }
  await opts.sayToCaller('Thank you for holding. I am connecting you now.');

  try {
    await rooms.moveParticipant(consultName, humanIdentity, call.roomName);
    logger.info({ human: humanIdentity }, 'warm transfer: the human was moved into the call');
    opts.onConnected('moved');
    await briefingVoice?.close().catch(() => undefined);
    await consult.disconnect().catch(() => undefined);
    return 'connected';
  } catch (error) {
    logger.info(
      { err: String(error) },
      'warm transfer: LiveKit cannot move participants here; relaying the audio instead',
    );
  }
  await voice.close();
  briefingVoice = undefined;
  relays = await Promise.all([
    relayMicrophone(opts.room, opts.callerIdentity(), consult, 'parley-relay'),
    relayMicrophone(consult, humanIdentity, opts.room, 'parley-relay'),
  ]);
  const onLeft = (participant: RemoteParticipant) => {
    if (participant.identity !== humanIdentity) return;
    consult.off(RoomEvent.ParticipantDisconnected, onLeft);
    logger.info({ human: humanIdentity }, 'warm transfer: the human hung up');
    opts.onHumanLeft();
  };
  consult.on(RoomEvent.ParticipantDisconnected, onLeft);
  opts.onConnected('relayed');
  return 'connected';
}
