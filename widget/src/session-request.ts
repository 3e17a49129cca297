import type { CreateSessionRequest, SessionResponse } from '@parley/contracts';
import { isRecord, requestJson, type ServerRequestOptions } from './server-request.js';

/**
 * `POST /v1/sessions`. Resolves with the session, or rejects with a `SessionError` whose code
 * is the server's (`persona_not_found`, `origin_not_allowed`, `consent_required`, …) or the
 * widget's own (`server_unreachable`, `invalid_response`).
 */
export function requestSession(
  body: CreateSessionRequest,
  options: Partial<ServerRequestOptions> = {},
): Promise<SessionResponse> {
  return requestJson('/v1/sessions', body, isSessionResponse, options);
}

function isSessionResponse(value: unknown): value is SessionResponse {
  return (
    isRecord(value) &&
    typeof value['serverUrl'] === 'string' &&
    typeof value['token'] === 'string' &&
    typeof value['roomName'] === 'string' &&
    typeof value['identity'] === 'string' &&
    typeof value['expiresAt'] === 'string'
  );
}
