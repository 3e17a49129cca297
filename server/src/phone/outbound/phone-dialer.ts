import type { DispatchMetadata, LegPurpose } from '@parley/contracts';
import type { DialOutcome } from './sip-outcome.js';
import { DomainError } from '../../domain-errors.js';

/** What LiveKit is asked to create for a tenant's carrier. */
export interface OutboundTrunkSpec {
  /** LiveKit's name for it: `parley:<tenant>:<name>`, so Parley's own trunks can be told apart. */
  name: string;
  address: string;
  numbers: string[];
  transport: 'udp' | 'tcp' | 'tls';
  authUsername?: string;
  authPassword?: string;
  /** JSON kept with the trunk in LiveKit (tenant and name). */
  metadata: string;
}

/** One phone leg to ring into a room. */
export interface DialRequest {
  /** LiveKit's id of the outbound trunk to dial through. */
  trunkId: string;
  /** The number to dial (E.164), or the user part of a `sip:` URI. */
  to: string;
  roomName: string;
  participantIdentity: string;
  /** Set as the participant's `parley.leg` attribute. */
  leg: LegPurpose;
  /** Caller id to present; the trunk's first number by default. */
  fromNumber?: string;
  ringingTimeoutSeconds: number;
  maxCallDurationSeconds?: number;
}

/**
 * What the outbound phone features need from LiveKit: trunks, agent dispatch, dialling and
 * hanging up. `LivekitPhoneDialer` is the real one; unit tests use an in-memory one.
 */
export interface PhoneDialer {
  createOutboundTrunk(spec: OutboundTrunkSpec): Promise<{ trunkId: string }>;
  /** Removes the trunk; one LiveKit no longer has is not an error. */
  deleteOutboundTrunk(trunkId: string): Promise<void>;
  /** Creates the room (if needed) with the `parley` agent dispatched into it. */
  dispatchAgent(roomName: string, metadata: DispatchMetadata): Promise<void>;
  /**
   * Rings `to` into the room and resolves once the callee answered or the dial ended without an
   * answer; never rejects for the callee's sake (busy, no answer), only reports it. `onRinging`
   * is told once when the callee's phone rings.
   */
  dial(request: DialRequest, onRinging?: () => void): Promise<DialOutcome>;
  /** Ends the room for everyone in it (the agent leaves; a SIP leg hangs up). */
  closeRoom(roomName: string): Promise<void>;
  /** Whether `identity` is in the room right now. */
  isInRoom(roomName: string, identity: string): Promise<boolean>;
}

/** Where LiveKit is not configured: every phone operation answers `sip_unavailable`. */
export class UnavailablePhoneDialer implements PhoneDialer {
  private refuse(): never {
    throw new DomainError('sip_unavailable', 'phone calls are not configured on this server');
  }
  createOutboundTrunk(): Promise<{ trunkId: string }> {
    this.refuse();
  }
  deleteOutboundTrunk(): Promise<void> {
    this.refuse();
  }
  dispatchAgent(): Promise<void> {
    this.refuse();
  }
  dial(): Promise<DialOutcome> {
    this.refuse();
  }
  closeRoom(): Promise<void> {
    this.refuse();
  }
  isInRoom(): Promise<boolean> {
    this.refuse();
  }
}
