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

/** Who the session is for beyond its request. */
export interface SessionContext {
  history?: CallerHistory;
  /** Absent for the default tenant. */
  tenantId?: string;
  roomName?: string;
}

/** The agent's dispatch for a web session. */
export function dispatchOf(
  persona: Persona,
  request: CreateSessionRequest,
  { history, tenantId }: SessionContext,
): DispatchMetadata {
  return {
    personaId: persona.id,
    ...(tenantId && { tenantId }),
    channel: 'web',
    visitor: request.visitor ?? {},
    variables: request.variables ?? {},
    ...(history && { history }),
  };
}

/**
 * Issues the token of one web session: it admits one identity to one room (a fresh one, or a
 * standby room taken for it), may publish only a microphone, may not change its own metadata,
 * and dispatches the `parley` agent with the persona.
 */
export class SessionIssuer {
  constructor(private readonly options: SessionIssuerOptions) {}

  /**
   * `roomName`: a standby room taken for the session (sessions/standby-rooms.ts), else a fresh
   * one. The token dispatches the agent either way: LiveKit does so only if it makes the room,
   * so a standby room that closed before the visitor joined is made again with an agent.
   */
  async issue(
    persona: Persona,
    request: CreateSessionRequest,
    { history, tenantId, roomName = randomId('web') }: SessionContext = {},
  ): Promise<SessionResponse> {
    const identity = randomId('visitor');
    const metadata = dispatchOf(persona, request, { history, tenantId });
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
