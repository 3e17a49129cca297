import {
  AgentDispatchClient,
  RoomServiceClient,
  ServerError,
  SipClient,
  type CreateSipOutboundTrunkOptions,
} from 'livekit-server-sdk';
import { AGENT_NAME, LEG_ATTRIBUTE, type DispatchMetadata } from '@parley/contracts';
import type { DialRequest, OutboundTrunkSpec, PhoneDialer } from './phone-dialer.js';
import { dialOutcomeOf, type DialOutcome } from './sip-outcome.js';
import { DomainError } from '../../domain-errors.js';

export interface LivekitPhoneDialerOptions {
  /** livekit-server's URL (`ws://` or `http://`; the API is reached over HTTP). */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** How often a dial in progress is looked at for `sip.callStatus: ringing`. */
  ringingPollMs?: number;
}

/** LiveKit's `SIPTransport` values (the enum lives in `@livekit/protocol`, not re-exported). */
const TRANSPORT: Record<
  OutboundTrunkSpec['transport'],
  CreateSipOutboundTrunkOptions['transport']
> = { udp: 1, tcp: 2, tls: 3 };

const isNotFound = (err: unknown) => err instanceof ServerError && err.status === 404;

/** LiveKit could not be reached, or failed on its side: the phone feature is unavailable. */
function unavailable(what: string, err: unknown): DomainError {
  const detail = err instanceof Error ? err.message : String(err);
  return new DomainError('sip_unavailable', `${what}: ${detail}`);
}

/** The phone features' LiveKit side: SIP trunks and participants, agent dispatch, rooms. */
export class LivekitPhoneDialer implements PhoneDialer {
  private readonly sip: SipClient;
  private readonly rooms: RoomServiceClient;
  private readonly dispatch: AgentDispatchClient;
  private readonly ringingPollMs: number;

  constructor(options: LivekitPhoneDialerOptions) {
    const host = options.url.replace(/^ws/, 'http');
    this.sip = new SipClient(host, options.apiKey, options.apiSecret);
    this.rooms = new RoomServiceClient(host, options.apiKey, options.apiSecret);
    this.dispatch = new AgentDispatchClient(host, options.apiKey, options.apiSecret);
    this.ringingPollMs = options.ringingPollMs ?? 250;
  }

  async createOutboundTrunk(spec: OutboundTrunkSpec): Promise<{ trunkId: string }> {
    try {
      const trunk = await this.sip.createSipOutboundTrunk(spec.name, spec.address, spec.numbers, {
        transport: TRANSPORT[spec.transport],
        metadata: spec.metadata,
        ...(spec.authUsername && { authUsername: spec.authUsername }),
        ...(spec.authPassword && { authPassword: spec.authPassword }),
      });
      return { trunkId: trunk.sipTrunkId };
    } catch (err) {
      throw unavailable('LiveKit did not create the outbound trunk', err);
    }
  }

  async deleteOutboundTrunk(trunkId: string): Promise<void> {
    try {
      await this.sip.deleteSipTrunk(trunkId);
    } catch (err) {
      if (!isNotFound(err)) throw unavailable('LiveKit did not delete the outbound trunk', err);
    }
  }

  async dispatchAgent(roomName: string, metadata: DispatchMetadata): Promise<void> {
    try {
      await this.rooms.createRoom({ name: roomName, emptyTimeout: 60 });
      await this.dispatch.createDispatch(roomName, AGENT_NAME, {
        metadata: JSON.stringify(metadata),
      });
    } catch (err) {
      throw unavailable('LiveKit did not dispatch the agent', err);
    }
  }

  async dial(request: DialRequest, onRinging?: () => void): Promise<DialOutcome> {
    const dialing = this.sip.createSipParticipant(request.trunkId, request.to, request.roomName, {
      participantIdentity: request.participantIdentity,
      participantAttributes: { [LEG_ATTRIBUTE]: request.leg },
      ...(request.fromNumber && { fromNumber: request.fromNumber }),
      waitUntilAnswered: true,
      ringingTimeout: request.ringingTimeoutSeconds,
      ...(request.maxCallDurationSeconds && {
        maxCallDuration: request.maxCallDurationSeconds,
      }),
    });
    let settled = false;
    const watch = onRinging && this.watchRinging(request, () => settled, onRinging);
    try {
      await dialing;
      return { status: 'answered' };
    } catch (err) {
      return dialOutcomeOf(err);
    } finally {
      settled = true;
      await watch;
    }
  }

  async closeRoom(roomName: string): Promise<void> {
    try {
      await this.rooms.deleteRoom(roomName);
    } catch (err) {
      if (!isNotFound(err)) throw unavailable('LiveKit did not close the room', err);
    }
  }

  async isInRoom(roomName: string, identity: string): Promise<boolean> {
    try {
      await this.rooms.getParticipant(roomName, identity);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw unavailable('LiveKit did not answer who is in the room', err);
    }
  }

  /**
   * The bridge shows a dial's progress only as the participant's `sip.callStatus`; looks at it
   * until the callee's phone rings or the dial is over.
   */
  private async watchRinging(
    request: DialRequest,
    over: () => boolean,
    onRinging: () => void,
  ): Promise<void> {
    while (!over()) {
      await new Promise((resolve) => setTimeout(resolve, this.ringingPollMs));
      if (over()) return;
      const participant = await this.rooms
        .getParticipant(request.roomName, request.participantIdentity)
        .catch(() => undefined);
      if (participant?.attributes['sip.callStatus'] === 'ringing' && !over()) {
        onRinging();
        return;
      }
    }
  }
}
