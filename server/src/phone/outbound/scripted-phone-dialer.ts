/**
 * Test support: a `PhoneDialer` that dials nothing. It keeps what it was asked and answers each
 * dial as scripted per number (answered by default), so route suites run without LiveKit.
 */
import type { DispatchMetadata } from '@parley/contracts';
import type { DialRequest, OutboundTrunkSpec, PhoneDialer } from './phone-dialer.js';
import type { DialOutcome } from './sip-outcome.js';

export class ScriptedPhoneDialer implements PhoneDialer {
  readonly trunks = new Map<string, OutboundTrunkSpec>();
  readonly dispatches: { roomName: string; metadata: DispatchMetadata }[] = [];
  readonly dials: DialRequest[] = [];
  readonly closedRooms: string[] = [];
  /** Who is in each room (`isInRoom`). */
  readonly present = new Set<string>();
  /** How a dial to a number ends, and whether it rang first; `answered` after ringing otherwise. */
  readonly outcomes = new Map<string, DialOutcome>();
  private next = 0;

  createOutboundTrunk(spec: OutboundTrunkSpec): Promise<{ trunkId: string }> {
    const trunkId = `ST_scripted_${++this.next}`;
    this.trunks.set(trunkId, spec);
    return Promise.resolve({ trunkId });
  }

  deleteOutboundTrunk(trunkId: string): Promise<void> {
    this.trunks.delete(trunkId);
    return Promise.resolve();
  }

  dispatchAgent(roomName: string, metadata: DispatchMetadata): Promise<void> {
    this.dispatches.push({ roomName, metadata });
    return Promise.resolve();
  }

  dial(request: DialRequest, onRinging?: () => void): Promise<DialOutcome> {
    this.dials.push(request);
    onRinging?.();
    return Promise.resolve(this.outcomes.get(request.to) ?? { status: 'answered' });
  }

  closeRoom(roomName: string): Promise<void> {
    this.closedRooms.push(roomName);
    return Promise.resolve();
  }

  isInRoom(roomName: string, identity: string): Promise<boolean> {
    return Promise.resolve(this.present.has(`${roomName}/${identity}`));
  }
}
