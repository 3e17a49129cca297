import { llm } from '@livekit/agents';
import { RpcError } from '@livekit/rtc-node';
import { type ClientTool, ClientToolSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clientTool } from './client-tools.js';
import { fakeToolCall } from '../../test/fake-call.js';
import type { ClientRpc } from './tool-deps.js';

const declared: ClientTool = ClientToolSchema.parse({
  name: 'open_cart',
  description: 'Opens the visitor’s cart on the page.',
  parameters: { type: 'object', properties: { highlight: { type: 'string' } } },
  timeoutMs: 3_000,
});

/** An RPC that records its calls and answers (or fails) as told. */
function fakeRpc(answer: () => Promise<string>) {
  const calls: [string, string, number][] = [];
  const rpc: ClientRpc = {
    call(method, payload, timeoutMs) {
      calls.push([method, payload, timeoutMs]);
      return answer();
    },
  };
  return { rpc, calls };
}

async function failureFor(error: unknown): Promise<string> {
  const { rpc } = fakeRpc(() => Promise.reject(error));
  try {
    await clientTool(declared, rpc).execute({}, fakeToolCall().opts);
  } catch (thrown) {
    assert.ok(thrown instanceof llm.ToolError, 'the model hears client tool failures');
    return thrown.message;
  }
  assert.fail('the tool should have failed');
}

describe('client tools', () => {
  test('when the page answers JSON, then the model gets it parsed, and the page got the arguments as JSON with the tool timeout', async () => {
    const { rpc, calls } = fakeRpc(async () => '{"items":2,"total":"€40"}');
    const tool = clientTool(declared, rpc);
    const result = await tool.execute({ highlight: 'shoes' }, fakeToolCall().opts);
    assert.deepEqual(result, { items: 2, total: '€40' });
    assert.deepEqual(calls, [['open_cart', '{"highlight":"shoes"}', 3_000]]);
    assert.equal(tool.name, 'open_cart');
    assert.deepEqual(tool.parameters, declared.parameters, 'the model sees the declared schema');
  });

  test('when the page answers plain text, then the model gets the text', async () => {
    const { rpc } = fakeRpc(async () => 'cart opened');
    assert.equal(await clientTool(declared, rpc).execute({}, fakeToolCall().opts), 'cart opened');
  });

  test('when the page has no such tool, then the model hears that', async () => {
    const message = await failureFor(RpcError.builtIn('UNSUPPORTED_METHOD'));
    assert.equal(message, "The visitor's page has no open_cart tool right now.");
  });

  test('when the page does not answer in time, then the model hears the timeout', async () => {
    const message = await failureFor(RpcError.builtIn('RESPONSE_TIMEOUT'));
    assert.equal(message, "The visitor's page did not answer open_cart within 3000 ms.");
  });

  test("when the page's handler fails, then the model hears its message", async () => {
    const message = await failureFor(new RpcError(1500, 'cart is locked'));
    assert.equal(message, "The open_cart tool on the visitor's page failed: cart is locked");
  });

  test('when the visitor has left, then the model hears the page is not connected', async () => {
    const message = await failureFor(RpcError.builtIn('RECIPIENT_DISCONNECTED'));
    assert.equal(message, "The visitor's page is not connected, so open_cart could not run.");
  });

  test('when the agent is not in the room, then the model hears the call could not be made', async () => {
    const message = await failureFor(new Error('the agent is not connected to the room'));
    assert.equal(
      message,
      "The open_cart tool on the visitor's page could not be called (the agent is not connected to the room).",
    );
  });
});
