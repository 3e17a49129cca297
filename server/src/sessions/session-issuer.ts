import { randomBytes } from 'node:crypto';
import { AccessToken, RoomAgentDispatch, RoomConfiguration, TrackSource } from 'livekit-server-sdk';
import {
  AGENT_NAME,
  type CallerHistory,
  type CreateSessionRequest,
  type DispatchMetadata,
  type Persona,
  type SessionResponse,
} from '@parley/contracts';

export interface SessionIssuerOptions {
  apiKey: string;
  apiSecret: string;
  /** The livekit-server URL browsers connect to. */
  serverUrl: string;
  ttlSeconds: number;
}

/** An id nobody can guess: 128 random bits, URL-safe. */
export function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}

/**
 * Issues the token of one web session: it admits one identity to one fresh room, may publish only
 * a microphone, may not change its own metadata, and dispatches the `parley` agent with the persona.
 */
export class SessionIssuer {
  constructor(private readonly options: SessionIssuerOptions) {}

  async issue(
    persona: Persona,
    request: CreateSessionRequest,
    { history, tenantId }: { history?: CallerHistory; tenantId?: string } = {},
  ): Promise<SessionResponse> {
    const roomName = randomId('web');
    const identity = randomId('visitor');
    const metadata: DispatchMetadata = {
      personaId: persona.id,
      ...(tenantId && { tenantId }),
      channel: 'web',
      visitor: request.visitor ?? {},
      variables: request.variables ?? {},
      ...(history && { history }),
    };
    const token = new AccessToken(this.options.apiKey, this.options.apiSecret, {
      identity,
      name: request.visitor?.name ?? 'Visitor',
      ttl: this.options.ttlSeconds,
    });
    token.addGrant({
      roomJoin: true,
      room: roomName,
      canPublish: true,
      canPublishSources: [TrackSource.MICROPHONE],
      canSubscribe: true,
      // Text input (lk.chat) and client-tool RPC travel on the data channel.
      canPublishData: true,
      canUpdateOwnMetadata: false,
    });
    token.roomConfig = new RoomConfiguration({
      agents: [
        new RoomAgentDispatch({ agentName: AGENT_NAME, metadata: JSON.stringify(metadata) }),
      ],
    });
    const expiresAt = new Date(Date.now() + this.options.ttlSeconds * 1000).toISOString();
    return {
      serverUrl: this.options.serverUrl,
      token: await token.toJwt(),
      roomName,
      identity,
      expiresAt,
    };
  }
}
