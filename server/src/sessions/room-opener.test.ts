import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RoomAgentDispatch } from 'livekit-server-sdk';
import { TokenVerifier } from 'livekit-server-sdk';
import type { SessionResponse } from '@parley/contracts';
import { createLogger } from '../observability/logger.js';
import {
  LIVEKIT_API_KEY,
  LIVEKIT_API_SECRET,
  request,
  startTestApp,
  type TestApp,
} from '../../test/test-app.js';

interface Opened {
  roomName: string;
  dispatch: RoomAgentDispatch;
  /** The room's tenant, as LiveKit's events about it will look it up, when it was opened. */
  tenantThen: string | undefined;
}

const opened: Opened[] = [];
const warnings: { msg: string; roomName?: string }[] = [];
let failing = false;
let app: TestApp;

before(async () => {
  app = await startTestApp((_tenant, storage) => ({
    openRoom: async (roomName, dispatch) => {
      opened.push({ roomName, dispatch, tenantThen: await storage.tenantOfRoom(roomName) });
      if (failing) throw new Error('twirp error unavailable: LiveKit is restarting');
    },
    logger: createLogger({
      level: 'warn',
      destination: { write: (line) => void warnings.push(JSON.parse(line) as never) },
    }),
  }));
});

after(() => app.stop());

const openSession = () =>
  request<SessionResponse>(`${app.url}/v1/sessions`, 'POST', {
    persona: 'default',
    visitor: { name: 'Ada' },
  });

describe('POST /v1/sessions opens the room ahead', () => {
  test('when a session is issued, then its room is opened with the same agent dispatch as its token, once the room is the tenant’s', async () => {
    opened.length = 0;
    const { status, body: session } = await openSession();
    assert.equal(status, 201);
    assert.equal(opened.length, 1);
    const [room] = opened;
    assert.equal(room?.roomName, session.roomName);
    assert.equal(room?.tenantThen, app.tenant.tenantId);
    const claims = await new TokenVerifier(LIVEKIT_API_KEY, LIVEKIT_API_SECRET).verify(
      session.token,
    );
    const inToken = claims.roomConfig?.agents[0];
    assert.equal(room?.dispatch.agentName, 'parley');
    assert.equal(room?.dispatch.agentName, inToken?.agentName);
    assert.equal(room?.dispatch.metadata, inToken?.metadata);
  });

  test('when LiveKit does not make the room, then the session is issued all the same and the failure is logged', async () => {
    failing = true;
    warnings.length = 0;
    try {
      const { status, body: session } = await openSession();
      assert.equal(status, 201);
      assert.ok(session.token, 'the token still dispatches the agent when the page joins');
      const warning = warnings.find((w) => w.roomName === session.roomName);
      assert.match(warning?.msg ?? '', /not opened ahead/);
    } finally {
      failing = false;
    }
  });

  test('when a session is refused, then no room is opened', async () => {
    opened.length = 0;
    const { status } = await request(`${app.url}/v1/sessions`, 'POST', { persona: 'nobody' });
    assert.equal(status, 404);
    assert.equal(opened.length, 0);
  });
});
