import { initializeLogger, llm } from '@livekit/agents';
import { type PersonaInput, PersonaSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CallApi } from '../recording/call-api.js';
import { AGENT_KEY, DroppingProxy, ParleyTestServer } from '../../test/parley-test-server.js';
import { fakeToolCall, FakeControls } from '../../test/fake-call.js';
import { createPersonaTools, spokenDateTime, ToolApi } from './index.js';
import { EVERY_DAY_NINE_TO_FIVE_UTC, utcDayAt } from '@parley/server/testing';

/**
 * The tools against the real server app (on PGlite) in this process: leads, appointments,
 * availability and webhook tools, with a local HTTP endpoint standing in for the site owner's.
 */
let server: ParleyTestServer;
let endpoint: Server;
const endpointCalls: unknown[] = [];

const PERSONA: PersonaInput = {
  id: 'desk',
  name: 'Desk',
  greeting: 'Hello!',
  instructions: 'Help callers.',
  tools: ['capture_lead', 'book_appointment'],
  businessHours: EVERY_DAY_NINE_TO_FIVE_UTC,
};

const at = utcDayAt;

const endpointUrl = (path: string) =>
  `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}${path}`;

before(async () => {
  initializeLogger({ pretty: false, level: 'fatal' });
  endpoint = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { args: { sku: string } };
      endpointCalls.push(body.args);
      if (req.url === '/stock') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sku: body.args.sku, inStock: 3 }));
      } else {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('maintenance window');
      }
    });
  });
  endpoint.listen(0, '127.0.0.1');
  await once(endpoint, 'listening');
  PERSONA.webhookTools = [
    {
      name: 'check_stock',
      description: 'Checks whether an item is in stock.',
      url: endpointUrl('/stock'),
      parameters: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] },
    },
    { name: 'order_status', description: 'Looks an order up.', url: endpointUrl('/down') },
  ];
  server = await ParleyTestServer.start();
  await server.storage.forTenant(server.tenantId).personas.create(PERSONA);
});

after(async () => {
  await server.stop();
  endpoint.closeAllConnections();
  endpoint.close();
});

const records = () => server.storage.forTenant(server.tenantId);

async function newCall(serverUrl = server.url) {
  const callId = await new CallApi({ serverUrl: server.url, agentKey: AGENT_KEY }).send(
    {
      type: 'create',
      call: { personaId: 'desk', channel: 'web', roomName: `web_${randomUUID()}` },
    },
    undefined,
  );
  const controls = new FakeControls();
  const tools = createPersonaTools({
    persona: PersonaSchema.parse(PERSONA),
    channel: 'web',
    server: { serverUrl, agentKey: AGENT_KEY },
    callId: async () => callId,
    controls,
    rpc: { call: () => Promise.reject(new Error('no page in this test')) },
  });
  const run = (name: string, args: Record<string, unknown>) => {
    const tool = tools.getFunctionTool(name);
    assert.ok(tool, `${name} is offered`);
    return tool.execute(args, fakeToolCall().opts);
  };
  return { callId, controls, run };
}

/** The message of the ToolError `promise` rejects with. */
async function heard(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof llm.ToolError, `a ToolError, not ${String(error)}`);
    return error.message;
  }
  assert.fail('the tool should have failed');
}

const hotLead = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  need: 'a voice agent for our shop',
  budget: 5_000,
  isDecisionMaker: true,
  timelineDays: 30,
};

describe('capture_lead', () => {
  test('when a qualified caller is captured, then the lead is stored scored hot and the call notes it', async () => {
    const { callId, controls, run } = await newCall();
    assert.deepEqual(await run('capture_lead', hotLead), { stored: true, temperature: 'hot' });
    assert.deepEqual(controls.log, ['lead: hot']);
    const { items } = await records().leads.list({ callId });
    assert.equal(items.length, 1);
    assert.equal(items[0]?.name, 'Ada Lovelace');
    assert.equal(items[0]?.temperature, 'hot');
    assert.deepEqual(items[0]?.data.signals, ['budget', 'authority', 'need', 'timeline']);
  });

  test('when a cold lead is captured, then it is stored cold', async () => {
    const { callId, run } = await newCall();
    assert.deepEqual(await run('capture_lead', { name: 'Bob' }), {
      stored: true,
      temperature: 'cold',
    });
    assert.equal((await records().leads.list({ callId })).items[0]?.temperature, 'cold');
  });

  test("when the server's answer is lost, then the retry stores nothing new", async () => {
    const proxy = await DroppingProxy.start(server.url);
    try {
      const { callId, run } = await newCall(proxy.url);
      proxy.dropAnswers(/\/leads$/, 1);
      assert.deepEqual(await run('capture_lead', hotLead), { stored: true, temperature: 'hot' });
      assert.equal(proxy.count(/\/leads$/), 2, 'the request was sent twice');
      // The model asking again with the same arguments stores nothing new either.
      await run('capture_lead', hotLead);
      assert.equal((await records().leads.list({ callId })).items.length, 1);
    } finally {
      await proxy.stop();
    }
  });

  test('when the server cannot be reached, then the model hears so and no lead is noted', async () => {
    const { controls, run } = await newCall('http://127.0.0.1:1');
    assert.equal(
      await heard(run('capture_lead', hotLead)),
      'The lead store is not available right now; try again in a moment.',
    );
    assert.deepEqual(
      controls.log.filter((line) => line.startsWith('lead:')),
      [],
    );
  });
});

describe('book_appointment', () => {
  test('when a free slot is booked, then it is stored and the model reads back the day and time', async () => {
    const { callId, run } = await newCall();
    const startsAt = at(2, 10);
    const confirmation = await run('book_appointment', {
      startsAt: startsAt.toISOString(),
      name: 'Ada',
      phone: '+14155550100',
    });
    assert.equal(confirmation, `Booked for ${spokenDateTime(startsAt, 'UTC', 'en-US')}.`);
    assert.match(String(confirmation), /^Booked for \w+day, \w+ \d{1,2} at 10:00 AM\.$/);
    const booked = await records().appointments.list({ callId });
    assert.deepEqual(
      booked.map((a) => [a.name, new Date(a.startsAt).getTime()]),
      [['Ada', startsAt.getTime()]],
    );
  });

  test('when the slot is taken, then the model hears the free slots instead', async () => {
    const { run } = await newCall();
    await run('book_appointment', { startsAt: at(3, 11).toISOString(), name: 'Ada' });
    const message = await heard(
      run('book_appointment', { startsAt: at(3, 11, 15).toISOString(), name: 'Bob' }),
    );
    assert.match(message, /next free slots/);
  });

  test('when the time is outside business hours or past, then the model hears why', async () => {
    const { callId, run } = await newCall();
    const evening = await heard(
      run('book_appointment', { startsAt: at(4, 20).toISOString(), name: 'Ada' }),
    );
    const past = await heard(
      run('book_appointment', { startsAt: at(-1, 10).toISOString(), name: 'Ada' }),
    );
    assert.notEqual(evening, past);
    assert.match(evening, /next free slots/);
    assert.equal((await records().appointments.list({ callId })).length, 0);
  });
});

describe('availability', () => {
  test('when asked for free slots, then they come in the business time zone, soonest first, without booked ones', async () => {
    const { callId, run } = await newCall();
    await run('book_appointment', { startsAt: at(5, 9, 30).toISOString(), name: 'Ada' });
    const api = new ToolApi({
      serverUrl: server.url,
      agentKey: AGENT_KEY,
      callId: async () => callId,
    });
    const free = await api.availability({ from: at(5, 9), days: 1, limit: 3 });
    assert.deepEqual(free, {
      timeZone: 'UTC',
      slots: [
        { startsAt: at(5, 9).toISOString(), endsAt: at(5, 9, 30).toISOString() },
        { startsAt: at(5, 10).toISOString(), endsAt: at(5, 10, 30).toISOString() },
        { startsAt: at(5, 10, 30).toISOString(), endsAt: at(5, 11).toISOString() },
      ],
    });
  });
});

describe('webhook tools', () => {
  test("when the endpoint answers, then the model gets its result and the endpoint got the model's arguments", async () => {
    const { run } = await newCall();
    assert.deepEqual(await run('check_stock', { sku: 'A-17' }), { sku: 'A-17', inStock: 3 });
    assert.deepEqual(endpointCalls.at(-1), { sku: 'A-17' });
  });

  test('when the endpoint fails, then the model hears how', async () => {
    const { run } = await newCall();
    assert.match(await heard(run('order_status', { sku: 'A-17' })), /HTTP 503: maintenance window/);
  });
});
