import { llm } from '@livekit/agents';
import { RpcError } from '@livekit/rtc-node';
import type { ClientTool } from '@parley/contracts';
import type { ClientRpc } from './tool-deps.js';

const { ErrorCode } = RpcError;

/** What the model hears when the page could not run a client tool, by LiveKit RPC error code. */
function failure(tool: ClientTool, error: unknown): string {
  if (!(error instanceof RpcError)) {
    const detail = error instanceof Error ? error.message : String(error);
    return `The ${tool.name} tool on the visitor's page could not be called (${detail}).`;
  }
  switch (error.code) {
    case ErrorCode.UNSUPPORTED_METHOD:
      return `The visitor's page has no ${tool.name} tool right now.`;
    case ErrorCode.RESPONSE_TIMEOUT:
    case ErrorCode.CONNECTION_TIMEOUT:
      return `The visitor's page did not answer ${tool.name} within ${tool.timeoutMs} ms.`;
    case ErrorCode.RECIPIENT_NOT_FOUND:
    case ErrorCode.RECIPIENT_DISCONNECTED:
      return `The visitor's page is not connected, so ${tool.name} could not run.`;
    case ErrorCode.REQUEST_PAYLOAD_TOO_LARGE:
      return `The arguments for ${tool.name} are too large to send to the visitor's page.`;
    case ErrorCode.RESPONSE_PAYLOAD_TOO_LARGE:
      return `The result of ${tool.name} from the visitor's page was too large.`;
    case ErrorCode.APPLICATION_ERROR:
      return `The ${tool.name} tool on the visitor's page failed: ${error.message}`;
    default:
      return `The ${tool.name} tool on the visitor's page could not be called (${error.message}).`;
  }
}

/** The page's answer: JSON when it is JSON, else the text as it came. */
function parseResult(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

/**
 * A tool the visitor's page runs (registered with the widget's `registerTool`), called over
 * LiveKit RPC with the arguments as JSON; the page's JSON answer goes back to the model.
 */
export function clientTool(declared: ClientTool, rpc: ClientRpc) {
  return llm.tool({
    name: declared.name,
    description: declared.description,
    parameters: declared.parameters,
    execute: async (args) => {
      let payload: string;
      try {
        payload = await rpc.call(declared.name, JSON.stringify(args), declared.timeoutMs);
      } catch (error) {
        throw new llm.ToolError(failure(declared, error));
      }
      return parseResult(payload);
    },
  });
}
