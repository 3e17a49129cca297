import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RpcError, type RpcInvocationData } from 'livekit-client';
import {
  ClientTools,
  encodeResult,
  parseArguments,
  type RpcHost,
  type ToolCallRecord,
} from './client-tools.js';

type Handler = (data: RpcInvocationData) => Promise<string>;

/** A room as far as RPC goes: keeps the registered handlers so the test can call them. */
class FakeRoom implements RpcHost {
  readonly methods = new Map<string, Handler>();
  registerRpcMethod(method: string, handler: Handler): void {
    if (this.methods.has(method)) throw new Error(`${method} is already registered`);
    this.methods.set(method, handler);
  }
  unregisterRpcMethod(method: string): void {
    this.methods.delete(method);
  }
  call(method: string, payload: string, responseTimeout = 15_000): Promise<string> {
    const handler = this.methods.get(method);
    if (!handler) throw new Error(`no RPC method ${method}`);
    return handler({ requestId: 'r1', callerIdentity: 'agent-1', payload, responseTimeout });
  }
}

async function rpcFailure(promise: Promise<unknown>): Promise<RpcError> {
  const error = await promise.then(
    () => assert.fail('expected the RPC to fail'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof RpcError, `expected an RpcError, got ${String(error)}`);
  return error;
}

function setup(timeoutMs = 10_000) {
  const calls: ToolCallRecord[] = [];
  const tools = new ClientTools({ timeoutMs, onCall: (record) => calls.push(record) });
  const room = new FakeRoom();
  return { tools, room, calls };
}

describe('client tools', () => {
  it('when the agent calls a tool, then the handler gets the parsed arguments and its result returns as JSON', async () => {
    const { tools, room, calls } = setup();
    tools.register('lookupOrder', { description: 'Finds an order' }, (args, context) => {
      assert.equal(context.callerIdentity, 'agent-1');
      return { status: 'shipped', id: args['orderId'] };
    });
    tools.bind(room);
    const answer = await room.call('lookupOrder', '{"orderId":"A-17"}');
    assert.deepEqual(JSON.parse(answer), { status: 'shipped', id: 'A-17' });
    assert.deepEqual(calls, [
      { name: 'lookupOrder', args: { orderId: 'A-17' }, result: { status: 'shipped', id: 'A-17' } },
    ]);
  });

  it('when the handler is async and returns nothing, then the agent gets null', async () => {
    const { tools, room } = setup();
    tools.register('noop', {}, async () => undefined);
    tools.bind(room);
    assert.equal(await room.call('noop', ''), 'null');
  });

  it('when the payload is not JSON, then the agent gets an RpcError and the handler never runs', async () => {
    const { tools, room, calls } = setup();
    let ran = false;
    tools.register('t', {}, () => {
      ran = true;
    });
    tools.bind(room);
    const error = await rpcFailure(room.call('t', '{oops'));
    assert.equal(error.code, RpcError.ErrorCode.APPLICATION_ERROR);
    assert.equal(error.message, 'client tool "t" got arguments that are not JSON');
    assert.equal(ran, false);
    assert.deepEqual(calls, [{ name: 't', args: undefined, error: error.message }]);
  });

  it('when the handler throws, then the agent gets an RpcError naming the tool and the reason', async () => {
    const { tools, room, calls } = setup();
    tools.register('book', {}, () => {
      throw new Error('calendar is full');
    });
    tools.bind(room);
    const error = await rpcFailure(room.call('book', '{"day":"monday"}'));
    assert.equal(error.message, 'client tool "book" failed: calendar is full');
    assert.deepEqual(calls, [{ name: 'book', args: { day: 'monday' }, error: error.message }]);
  });

  it('when the handler throws an RpcError, then it reaches the agent unchanged', async () => {
    const { tools, room } = setup();
    tools.register('strict', {}, () => {
      throw new RpcError(4001, 'no such customer');
    });
    tools.bind(room);
    const error = await rpcFailure(room.call('strict', '{}'));
    assert.equal(error.code, 4001);
    assert.equal(error.message, 'no such customer');
  });

  it('when the handler does not answer in time, then it is aborted and the agent gets a timeout error', async () => {
    const { tools, room, calls } = setup(50);
    let aborted = false;
    tools.register('slow', {}, (_args, { signal }) => {
      signal.addEventListener('abort', () => {
        aborted = true;
      });
      return new Promise(() => undefined);
    });
    tools.bind(room);
    const error = await rpcFailure(room.call('slow', '{}'));
    assert.equal(error.message, 'client tool "slow" did not answer within 0.1 s');
    assert.equal(aborted, true);
    assert.equal(calls[0]?.error, error.message);
  });

  it('when the agent allows less time than the widget, then the agent’s timeout wins', async () => {
    const { tools, room } = setup(60_000);
    tools.register('slow', {}, () => new Promise(() => undefined));
    tools.bind(room);
    // 1.2 s from the caller, minus the 1 s kept for the answer to travel back
    const error = await rpcFailure(room.call('slow', '{}', 1_200));
    assert.equal(error.message, 'client tool "slow" did not answer within 0.2 s');
  });

  it('when the result cannot be encoded as JSON, then the agent gets an error', async () => {
    const { tools, room } = setup();
    tools.register('big', {}, () => ({ n: 10n }));
    tools.bind(room);
    const error = await rpcFailure(room.call('big', '{}'));
    assert.equal(error.message, 'client tool "big" returned a value that is not JSON');
  });

  it('arguments must be a JSON object', () => {
    assert.deepEqual(parseArguments('t', '  '), {});
    assert.throws(() => parseArguments('t', '[1,2]'), /expects a JSON object/);
    assert.throws(() => parseArguments('t', 'null'), /expects a JSON object/);
    assert.equal(encodeResult('t', 'ok'), '"ok"');
    assert.throws(() => encodeResult('t', () => 1), /not JSON/);
  });

  it('tools registered before or during a call are exposed; unregistering withdraws them', () => {
    const { tools, room } = setup();
    const removeEarly = tools.register('early', {}, () => 1);
    tools.bind(room);
    tools.register('late', { parameters: { type: 'object' } }, () => 2);
    assert.deepEqual([...room.methods.keys()], ['early', 'late']);
    assert.deepEqual(tools.definitions, [
      { name: 'early' },
      { name: 'late', parameters: { type: 'object' } },
    ]);
    removeEarly();
    assert.deepEqual([...room.methods.keys()], ['late']);
    tools.unbind();
    assert.deepEqual([...room.methods.keys()], []);
    // the next call's room gets the remaining tools again
    const next = new FakeRoom();
    tools.bind(next);
    assert.deepEqual([...next.methods.keys()], ['late']);
  });

  it('when a tool is registered twice, then the second handler replaces the first', async () => {
    const { tools, room } = setup();
    tools.bind(room);
    tools.register('t', {}, () => 'first');
    tools.register('t', {}, () => 'second');
    assert.equal(await room.call('t', ''), '"second"');
  });

  it('rejects names LiveKit or an LLM would choke on', () => {
    const { tools } = setup();
    assert.throws(() => tools.register('', {}, () => 1), TypeError);
    assert.throws(() => tools.register('has space', {}, () => 1), TypeError);
    assert.throws(() => tools.register('9lives', {}, () => 1), TypeError);
  });
});
