/**
 * The token `POST /v1/sessions` hands a browser, tried against the real livekit-server: it admits
 * one identity to one room, publishes a microphone and nothing else, cannot change who it says it
 * is, and is worthless for LiveKit's server APIs. Each refusal has a control beside it: the same
 * action with a trusted token succeeds, so a refusal is the grant's doing.
 *
 * The rooms are created (empty) before anyone joins, so the token's agent dispatch does not
 * apply (LiveKit ignores a token's room configuration for an existing room): no agent is started.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AudioSource,
  dispose,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
  VideoSource,
  type LocalTrack,
  type RemoteParticipant,
} from '@livekit/rtc-node';
import {
  AccessToken,
  TrackSource as GrantSource,
  RoomServiceClient,
  TokenVerifier,
} from 'livekit-server-sdk';
import type { SessionResponse } from '@parley/contracts';
import { grantedSession } from '../support/security-sessions.js';
import { testStack, type TestStack } from '../support/stack-env.js';

/** This suite's client address (RFC 5737 TEST-NET-1), see security-sessions.ts. */
const ADDRESS = '192.0.2.10';
/** The most a session token may live, as the server documents (PARLEY_TOKEN_TTL ≤ 600 s). */
const MAX_TTL_SECONDS = 600;

let stack: TestStack;
let roomService: RoomServiceClient;
let livekitHttp: string;
const rooms: Room[] = [];
const roomNames: string[] = [];

/** A browser's session, in a room that exists (empty) before anyone joins it. */
async function browserSession(): Promise<SessionResponse> {
  const session = await grantedSession(stack, 'default', { address: ADDRESS });
  await roomService.createRoom({ name: session.roomName });
  roomNames.push(session.roomName);
  return session;
}

async function join(token: string): Promise<Room> {
  const room = new Room();
  rooms.push(room);
  await room.connect(stack.livekitUrl, token, { autoSubscribe: false, dynacast: false });
  return room;
}

/** A token the server itself could mint: every permission in `roomName`. */
function trustedToken(roomName: string, identity: string): Promise<string> {
  const token = new AccessToken(stack.secrets.livekitApiKey, stack.secrets.livekitApiSecret, {
    identity,
  });
  token.addGrant({ roomJoin: true, room: roomName, canUpdateOwnMetadata: true });
  return token.toJwt();
}

function localOf(room: Room) {
  const local = room.localParticipant;
  assert.ok(local, 'connected');
  return local;
}

const camera = () => LocalVideoTrack.createVideoTrack('camera', new VideoSource(16, 16));
const screen = () => LocalVideoTrack.createVideoTrack('screen', new VideoSource(16, 16));
const microphone = () => LocalAudioTrack.createAudioTrack('mic', new AudioSource(48_000, 1));

function publish(room: Room, track: LocalTrack, source: TrackSource) {
  return localOf(room).publishTrack(track, new TrackPublishOptions({ source }));
}

/** POSTs to one of livekit-server's Twirp APIs (RoomService, SIP, …) with `token`. */
async function twirp(service: string, method: string, token: string, body: object) {
  const res = await fetch(`${livekitHttp}/twirp/livekit.${service}/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

before(async () => {
  stack = await testStack();
  livekitHttp = stack.livekitUrl.replace(/^ws/, 'http');
  roomService = new RoomServiceClient(
    livekitHttp,
    stack.secrets.livekitApiKey,
    stack.secrets.livekitApiSecret,
  );
});

after(async () => {
  for (const room of rooms) await room.disconnect();
  for (const name of roomNames) await roomService.deleteRoom(name).catch(() => undefined);
  await dispose();
  await stack.release();
});

describe('the browser session token', () => {
  test('its grants, signed with the stack key: one room, microphone only, no own-metadata updates, no admin rights, at most 10 minutes', async () => {
    const session = await grantedSession(stack, 'default', { address: ADDRESS });
    const claims = await new TokenVerifier(
      stack.secrets.livekitApiKey,
      stack.secrets.livekitApiSecret,
    ).verify(session.token);
    assert.equal(claims.sub, session.identity);
    const video = claims.video ?? {};
    assert.equal(video.room, session.roomName);
    assert.equal(video.roomJoin, true);
    assert.deepEqual(video.canPublishSources, ['microphone']);
    assert.equal(video.canUpdateOwnMetadata, false);
    for (const right of [
      'roomAdmin',
      'roomCreate',
      'roomList',
      'roomRecord',
      'ingressAdmin',
      'hidden',
      'recorder',
      'agent',
      'canManageAgentSession',
      'canSubscribeMetrics',
      'destinationRoom',
    ] as const) {
      assert.ok(!video[right], `the token grants ${right}`);
    }
    for (const other of ['sip', 'inference', 'observability'] as const) {
      assert.equal(claims[other], undefined, `the token grants ${other} rights`);
    }
    assert.deepEqual(
      claims.roomConfig?.agents?.map((a) => a.agentName),
      ['parley'],
      'it dispatches the Parley agent and nothing else',
    );
    const { nbf, exp } = claims as { nbf?: number; exp?: number };
    assert.ok(nbf !== undefined && exp !== undefined, 'the token expires');
    assert.ok(exp - nbf > 0 && exp - nbf <= MAX_TTL_SECONDS, `lives ${exp - nbf} s`);
    const told = Date.parse(session.expiresAt) / 1000;
    assert.ok(Math.abs(told - exp) <= 2, `expiresAt ${session.expiresAt} is the token's exp`);
  });

  test('livekit-server refuses its camera and screen-share tracks; its microphone is accepted', async () => {
    // rtc-node publishes one track at a time and waits 10 s for an answer that never comes for a
    // refused track: one visitor (and session) per refused source, side by side.
    const [forCamera, forScreen] = await Promise.all([browserSession(), browserSession()]);
    const [cameraRoom, screenRoom] = await Promise.all([
      join(forCamera.token),
      join(forScreen.token),
    ]);
    const refused = await Promise.allSettled([
      publish(cameraRoom, camera(), TrackSource.SOURCE_CAMERA),
      publish(screenRoom, screen(), TrackSource.SOURCE_SCREENSHARE),
    ]);
    assert.deepEqual(
      refused.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    const mic = await publish(cameraRoom, microphone(), TrackSource.SOURCE_MICROPHONE);
    assert.match(mic.sid ?? '', /^TR_/, 'the microphone is published');
    for (const session of [forCamera, forScreen]) {
      const visitor = await roomService.getParticipant(session.roomName, session.identity);
      const sources = visitor.tracks.map((t) => t.source);
      assert.ok(
        !sources.includes(GrantSource.CAMERA) && !sources.includes(GrantSource.SCREEN_SHARE),
        `published sources: ${sources.join(',')}`,
      );
    }
    // Control: in the same room, a trusted token's camera is published.
    const trusted = await join(await trustedToken(forCamera.roomName, 'security-control'));
    const allowed = await publish(trusted, camera(), TrackSource.SOURCE_CAMERA);
    assert.match(allowed.sid ?? '', /^TR_/);
  });

  test('its metadata, name and attributes stay as issued, as livekit-server keeps and sends them', async () => {
    const session = await browserSession();
    const visitor = await join(session.token);
    const trusted = await join(await trustedToken(session.roomName, 'security-control'));
    const seen: string[] = [];
    const note =
      (what: string) =>
      (...args: unknown[]) => {
        const participant = args.at(-1) as RemoteParticipant | undefined;
        if (participant?.identity === session.identity) seen.push(what);
      };
    trusted.on(RoomEvent.ParticipantMetadataChanged, note('metadata'));
    trusted.on(RoomEvent.ParticipantNameChanged, note('name'));
    trusted.on(RoomEvent.ParticipantAttributesChanged, note('attributes'));

    const posed = { metadata: '{"role":"admin"}', name: 'Support Team' };
    // Posing as the agent: the widget shows this attribute as the agent's state.
    const attributes = { 'lk.agent.state': 'speaking' };
    /** Tries every update, then reads back what livekit-server holds for the participant. */
    const pose = async (room: Room, identity: string) => {
      const local = localOf(room);
      await local.updateMetadata(posed.metadata);
      await local.updateName(posed.name);
      await local.setAttributes(attributes);
      // livekit-server handles one participant's signal requests in order: once the microphone's
      // publication is answered, the updates before it have been handled too.
      await publish(room, microphone(), TrackSource.SOURCE_MICROPHONE);
      const held = await roomService.getParticipant(session.roomName, identity);
      return { metadata: held.metadata, name: held.name, attributes: held.attributes };
    };

    assert.deepEqual(await pose(visitor, session.identity), {
      metadata: '',
      name: 'Security test',
      attributes: {},
    });
    assert.deepEqual(seen, [], 'the other participant was sent no change');
    // Control: the same steps with canUpdateOwnMetadata change what livekit-server holds.
    assert.deepEqual(await pose(trusted, 'security-control'), { ...posed, attributes });
  });

  test('it is refused by every LiveKit server API, for its own room or any other', async () => {
    const session = await browserSession();
    const calls: [string, string, object][] = [
      ['RoomService', 'ListRooms', {}],
      ['RoomService', 'CreateRoom', { name: 'security-other-room' }],
      ['RoomService', 'DeleteRoom', { room: session.roomName }],
      ['RoomService', 'ListParticipants', { room: session.roomName }],
      [
        'RoomService',
        'UpdateParticipant',
        { room: session.roomName, identity: session.identity, metadata: '{"role":"admin"}' },
      ],
      ['RoomService', 'UpdateParticipant', { room: 'security-other-room', identity: 'someone' }],
      ['RoomService', 'RemoveParticipant', { room: 'security-other-room', identity: 'someone' }],
      ['AgentDispatchService', 'CreateDispatch', { room: 'security-other-room', agentName: 'x' }],
      [
        'SIP',
        'CreateSIPParticipant',
        { sipTrunkId: 'ST_x', sipCallTo: '+19005550199', roomName: session.roomName },
      ],
      ['Egress', 'StartRoomCompositeEgress', { roomName: session.roomName }],
    ];
    for (const [service, method, body] of calls) {
      const { status, text } = await twirp(service, method, session.token, body);
      assert.ok(status === 401 || status === 403, `${service}/${method}: ${status} ${text}`);
    }
    // Control: the API answers a token with the right grant.
    const lister = new AccessToken(stack.secrets.livekitApiKey, stack.secrets.livekitApiSecret);
    lister.addGrant({ roomList: true });
    const listed = await twirp('RoomService', 'ListRooms', await lister.toJwt(), {});
    assert.equal(listed.status, 200, listed.text);
  });

  test('edited to name another room, it no longer verifies: livekit-server refuses the join', async () => {
    const session = await browserSession();
    const [header, payload, signature] = session.token.split('.');
    assert.ok(header && payload && signature);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      video: { room: string };
    };
    claims.video.room = 'security-other-room';
    const edited = Buffer.from(JSON.stringify(claims)).toString('base64url');
    await assert.rejects(join(`${header}.${edited}.${signature}`), /401|invalid token/i);
    // Control: unedited, the same token joins its own room.
    const room = await join(session.token);
    assert.equal(room.name, session.roomName);
  });
});
