import { RoomAgentDispatch, RoomServiceClient, ServerError } from 'livekit-server-sdk';
import { AGENT_NAME, type RoomClaim, type StandbyDispatch } from '@parley/contracts';
import { participantKind } from '../livekit/livekit-events.js';
import type { RoomParticipant, StandbyLivekit } from './standby-rooms.js';

export interface LivekitStandbyOptions {
  /** livekit-server's URL (ws:// or http://). */
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** Standby rooms on livekit-server: made with the agent dispatched, claimed through their metadata. */
export class LivekitStandby implements StandbyLivekit {
  private readonly rooms: RoomServiceClient;

  constructor(options: LivekitStandbyOptions) {
    const host = options.url.replace(/^ws/, 'http');
    this.rooms = new RoomServiceClient(host, options.apiKey, options.apiSecret);
  }

  async open(roomName: string, dispatch: StandbyDispatch, emptyTimeout: number): Promise<void> {
    await this.rooms.createRoom({
      name: roomName,
      // The agent alone does not keep a room open: LiveKit closes it after this.
      emptyTimeout,
      agents: [
        new RoomAgentDispatch({ agentName: AGENT_NAME, metadata: JSON.stringify(dispatch) }),
      ],
    });
  }

  async claim(roomName: string, claim: RoomClaim): Promise<void> {
    const participants = await this.participants(roomName);
    if (!participants?.some((participant) => participant.agent)) {
      throw new Error(`standby room ${roomName} has no agent`);
    }
    await this.rooms.updateRoomMetadata(roomName, JSON.stringify(claim));
  }

  async participants(roomName: string): Promise<RoomParticipant[] | undefined> {
    try {
      const participants = await this.rooms.listParticipants(roomName);
      return participants.map((participant) => ({
        identity: participant.identity,
        agent: participantKind(participant) === 'agent',
      }));
    } catch (error) {
      if (error instanceof ServerError && error.code === 'not_found') return undefined;
      throw error;
    }
  }

  async close(roomName: string): Promise<void> {
    await this.rooms.deleteRoom(roomName);
  }
}
