import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { DomainError } from '../domain-errors.js';
import type { Storage, TenantStorage } from '../storage/storage.js';
import { forEachBackend, newTenant, openFresh } from '../../test/test-backends.js';

const PERSONA = { id: 'shop', name: 'Shop', greeting: 'Hi!', instructions: 'Help.' };

function isDomainError(code: string): (err: unknown) => boolean {
  return (err) => err instanceof DomainError && err.code === code;
}

forEachBackend((backend) => {
  let storage: Storage;
  before(async () => {
    storage = await openFresh(backend);
  });

  async function tenantWithPersona(label?: string): Promise<TenantStorage> {
    const tenant = storage.forTenant(await newTenant(storage, label));
    await tenant.personas.create(PERSONA);
    return tenant;
  }

  test('when the same turn is appended twice with one key, then it is stored once', async () => {
    const { calls } = await tenantWithPersona();
    const call = await calls.create({ personaId: 'shop', channel: 'web', roomName: 'room-a' });
    const turn = { userText: 'Do you ship to Canada?', agentText: 'Yes, we do.' };

    const first = await calls.appendTurn(call.id, 'turn-1', turn);
    const retry = await calls.appendTurn(call.id, 'turn-1', { ...turn, agentText: 'changed' });
    const racing = await Promise.all(
      [1, 2, 3].map(() => calls.appendTurn(call.id, 'turn-2', { userText: 'Thanks' })),
    );

    assert.equal(first.created, true);
    assert.equal(retry.created, false);
    assert.deepEqual(retry.turn, first.turn);
    assert.equal(racing.filter((r) => r.created).length, 1, 'one of the racing appends wrote');
    const rows = await storage.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM turns WHERE call_id = $1',
      [call.id],
    );
    assert.equal(rows[0]?.n, 2);
    const stored = await calls.get(call.id);
    assert.deepEqual(
      stored?.turns.map((t) => [t.seq, t.idempotencyKey, t.agentText]),
      [
        [1, 'turn-1', 'Yes, we do.'],
        [2, 'turn-2', undefined],
      ],
    );
  });

  test('when a turn carries timings and tool calls, then the call record returns them in order', async () => {
    const { calls } = await tenantWithPersona();
    const call = await calls.create({
      personaId: 'shop',
      channel: 'phone',
      roomName: 'room-b',
      caller: { phoneNumber: '+14155550100' },
      dialedNumber: '+14155550199',
    });
    await calls.appendTurn(call.id, 'k1', {
      userText: 'Book me for Tuesday',
      agentText: 'Done.',
      interrupted: true,
      timings: { sttMs: 120, llmFirstTokenMs: 340.5 },
      toolCalls: [
        { name: 'check_slots', args: { day: 'tuesday' }, result: { free: ['10:00'] } },
        { name: 'book', args: { at: '10:00' }, error: 'calendar offline' },
      ],
    });
    const detail = await calls.get(call.id);
    const [turn] = detail?.turns ?? [];
    assert.equal(detail?.caller.phoneNumber, '+14155550100');
    assert.equal(detail?.dialedNumber, '+14155550199');
    assert.equal(turn?.interrupted, true);
    assert.deepEqual(turn?.timings, { sttMs: 120, llmFirstTokenMs: 340.5 });
    assert.deepEqual(turn?.toolCalls, [
      { name: 'check_slots', args: { day: 'tuesday' }, result: { free: ['10:00'] } },
      { name: 'book', args: { at: '10:00' }, error: 'calendar offline' },
    ]);
  });

  test('when a call is closed twice, then the first close wins and turns can no longer be added', async () => {
    const { calls } = await tenantWithPersona();
    const call = await calls.create({
      personaId: 'shop',
      channel: 'web',
      roomName: 'room-c',
      startedAt: '2030-01-01T10:00:00.000Z',
    });
    await calls.appendTurn(call.id, 'last', { userText: 'bye' });
    const first = await calls.close(call.id, {
      outcome: 'completed',
      endedAt: '2030-01-01T10:01:30.250Z',
      summary: 'Asked about shipping.',
      costUsd: 0.0123,
    });
    const second = await calls.close(call.id, { outcome: 'failed' });

    assert.equal(first.closed, true);
    assert.equal(first.call.status, 'ended');
    assert.equal(first.call.durationMs, 90_250);
    assert.equal(first.call.costUsd, 0.0123);
    assert.equal(second.closed, false);
    assert.equal(second.call.outcome, 'completed');
    assert.equal(second.call.endedAt, '2030-01-01T10:01:30.250Z');
    await assert.rejects(
      calls.appendTurn(call.id, 'late', { userText: 'hi' }),
      isDomainError('conflict'),
    );
    assert.equal((await calls.appendTurn(call.id, 'last', { userText: 'bye' })).created, false);
    const insights = await calls.recordInsights(call.id, { leadTemperature: 'warm' });
    assert.equal(insights.leadTemperature, 'warm');
    assert.equal(insights.summary, 'Asked about shipping.');
  });

  test("when tenant B asks for tenant A's call, then it is not there for B in any way", async () => {
    const a = await tenantWithPersona('a');
    const b = await tenantWithPersona('b');
    const call = await a.calls.create({ personaId: 'shop', channel: 'web', roomName: 'shared' });
    await a.calls.appendTurn(call.id, 'k', { userText: 'secret order number 4711' });

    assert.equal(await b.calls.get(call.id), undefined);
    assert.equal(await b.calls.getByRoom('shared'), undefined);
    assert.deepEqual((await b.calls.list()).items, []);
    assert.deepEqual((await b.calls.list({ q: '4711' })).items, []);
    await assert.rejects(
      b.calls.appendTurn(call.id, 'x', { userText: 'hi' }),
      isDomainError('not_found'),
    );
    await assert.rejects(b.calls.close(call.id, { outcome: 'failed' }), isDomainError('not_found'));
    await assert.rejects(
      b.leads.create({ callId: call.id, name: 'Eve' }),
      isDomainError('not_found'),
    );
    await assert.rejects(
      b.consents.record(call.id, { textVersion: 'v1' }),
      isDomainError('not_found'),
    );
    assert.equal((await a.calls.get(call.id))?.status, 'active');
    assert.equal((await a.calls.list()).items.length, 1);
  });

  test('when calls are listed, then pages, filters and transcript search select the right calls', async () => {
    const tenant = await tenantWithPersona();
    await tenant.personas.create({ ...PERSONA, id: 'support' });
    const { calls } = tenant;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const call = await calls.create({
        personaId: i % 2 === 0 ? 'shop' : 'support',
        channel: i < 4 ? 'web' : 'phone',
        roomName: `list-${i}`,
        startedAt: new Date(Date.UTC(2030, 0, 1 + i, 9)).toISOString(),
      });
      ids.push(call.id);
      await calls.appendTurn(call.id, 'k', {
        userText: i === 3 ? 'What is your 100% REFUND_policy?' : 'Hello',
      });
      if (i < 5) await calls.close(call.id, { outcome: i === 1 ? 'abandoned' : 'completed' });
    }
    const newestFirst = [...ids].reverse();

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await calls.list({ limit: 3, cursor });
      assert.ok(page.items.length <= 3);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, newestFirst, 'three pages, newest first, nothing twice or missed');

    const idsOf = async (query: Parameters<typeof calls.list>[0]) =>
      (await calls.list(query)).items.map((c) => c.id);
    assert.deepEqual(await idsOf({ personaId: 'support' }), [ids[5], ids[3], ids[1]]);
    assert.deepEqual(await idsOf({ channel: 'phone' }), [ids[6], ids[5], ids[4]]);
    assert.deepEqual(await idsOf({ outcome: 'abandoned' }), [ids[1]]);
    assert.deepEqual(await idsOf({ from: '2030-01-03T00:00:00Z', to: '2030-01-05T00:00:00Z' }), [
      ids[3],
      ids[2],
    ]);
    assert.deepEqual(await idsOf({ q: 'refund_POLICY' }), [ids[3]]);
    assert.deepEqual(await idsOf({ q: '100%' }), [ids[3]]);
    assert.deepEqual(await idsOf({ q: '_' }), [ids[3]], 'LIKE wildcards are taken literally');
    assert.deepEqual(await idsOf({ q: 'nothing like this' }), []);
    await assert.rejects(calls.list({ cursor: 'garbage' }), isDomainError('invalid_request'));
  });

  test('when a call names an unknown persona or a room already in use, then it is refused', async () => {
    const { calls } = await tenantWithPersona();
    await assert.rejects(
      calls.create({ personaId: 'ghost', channel: 'web', roomName: 'r' }),
      isDomainError('persona_not_found'),
    );
    await calls.create({ personaId: 'shop', channel: 'web', roomName: 'taken' });
    await assert.rejects(
      calls.create({ personaId: 'shop', channel: 'web', roomName: 'taken' }),
      isDomainError('conflict'),
    );
  });

  test('when consent is recorded twice for the same wording, then one receipt is kept', async () => {
    const { calls, consents } = await tenantWithPersona();
    const call = await calls.create({ personaId: 'shop', channel: 'phone', roomName: 'consent' });
    const first = await consents.record(call.id, {
      textVersion: 'recording-v2',
      acceptedAt: '2030-01-01T00:00:00.000Z',
    });
    const again = await consents.record(call.id, { textVersion: 'recording-v2' });
    assert.deepEqual(again, first);
    assert.deepEqual(await consents.listForCall(call.id), [first]);
  });

  test('when LiveKit closed the call first, then late turns land and the agent close replaces it', async () => {
    const { calls } = await tenantWithPersona();
    const call = await calls.create({ personaId: 'shop', channel: 'web', roomName: 'room-lk' });
    await calls.recordInsights(call.id, { summary: 'Draft summary.' });
    const provisional = await calls.close(call.id, { outcome: 'failed' }, 'livekit');
    const secondLivekit = await calls.close(call.id, { outcome: 'abandoned' }, 'livekit');
    const late = await calls.appendTurn(call.id, 'spooled', { userText: 'still here' });
    const final = await calls.close(call.id, { outcome: 'completed', costUsd: 0.5 });
    const replay = await calls.close(call.id, { outcome: 'transferred' });

    assert.deepEqual([provisional.closed, provisional.call.closedBy], [true, 'livekit']);
    assert.equal(secondLivekit.closed, false, 'a second LiveKit close changes nothing');
    assert.equal(late.created, true);
    assert.deepEqual(
      [final.closed, final.call.closedBy, final.call.outcome, final.call.costUsd],
      [true, 'agent', 'completed', 0.5],
    );
    assert.equal(final.call.summary, 'Draft summary.', 'what the agent leaves out is kept');
    assert.deepEqual([replay.closed, replay.call.outcome], [false, 'completed']);
    await assert.rejects(
      calls.appendTurn(call.id, 'after-final', { userText: 'hi' }),
      isDomainError('conflict'),
    );
  });

  test('when leads of different temperatures come in, then the call keeps the hottest', async () => {
    const { calls } = await tenantWithPersona();
    const call = await calls.create({ personaId: 'shop', channel: 'web', roomName: 'room-t' });
    const seen: (string | undefined)[] = [];
    for (const temperature of ['cold', 'hot', 'warm'] as const) {
      await calls.raiseLeadTemperature(call.id, temperature);
      seen.push((await calls.require(call.id)).leadTemperature);
    }
    assert.deepEqual(seen, ['cold', 'hot', 'hot']);
  });

  test('when participant events arrive before and after the call exists, then the call lists them', async () => {
    const { calls, callEvents } = await tenantWithPersona();
    const other = await tenantWithPersona('other');
    const at = (s: number) => new Date(Date.UTC(2030, 0, 1, 9, 0, s)).toISOString();
    const event = { roomName: 'room-e', kind: 'standard' } as const;
    await callEvents.record({
      ...event,
      eventId: 'EV_1',
      type: 'participant_joined',
      identity: 'v',
      at: at(0),
    });
    const call = await calls.create({ personaId: 'shop', channel: 'web', roomName: 'room-e' });
    await callEvents.record({
      ...event,
      eventId: 'EV_2',
      type: 'participant_left',
      identity: 'v',
      at: at(9),
    });
    await callEvents.record({
      ...event,
      eventId: 'EV_2',
      type: 'participant_left',
      identity: 'v',
      at: at(9),
    });
    await other.callEvents.record({
      ...event,
      eventId: 'EV_3',
      type: 'participant_joined',
      identity: 'x',
      at: at(1),
    });

    assert.deepEqual(
      (await callEvents.listForCall(call.id)).map((e) => [e.type, e.identity, e.at]),
      [
        ['participant_joined', 'v', at(0)],
        ['participant_left', 'v', at(9)],
      ],
    );
    assert.deepEqual(await other.callEvents.listForCall(call.id), []);
  });
});
