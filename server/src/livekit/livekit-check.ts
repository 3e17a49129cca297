import { RoomServiceClient } from 'livekit-server-sdk';
import type { Check } from '../observability/health-routes.js';

/** A readiness check that asks livekit-server's API for its rooms, within a time limit. */
export function livekitCheck(
  url: string,
  apiKey: string,
  apiSecret: string,
  timeoutMs = 2000,
): Check {
  const client = new RoomServiceClient(url.replace(/^ws/, 'http'), apiKey, apiSecret);
  return async () => {
    const timeout = new Promise<never>((_, reject) => {
      setTimeout(
        () => reject(new Error('livekit-server did not answer in time')),
        timeoutMs,
      ).unref();
    });
    await Promise.race([client.listRooms(), timeout]);
    return true;
  };
}
