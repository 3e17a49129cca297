import { llm } from '@livekit/agents';
import type { WebhookTool } from '@parley/contracts';
import { throwForModel, type ToolApi } from './tool-api.js';

/**
 * A tool the persona declares with an HTTP endpoint. The model sees the declared JSON Schema;
 * the server makes the request (it holds the URL's secrets and signs the body) and answers the
 * endpoint's result, or an error the model hears (the endpoint failed, timed out, …).
 */
export function webhookTool(declared: WebhookTool, api: ToolApi) {
  return llm.tool({
    name: declared.name,
    description: declared.description,
    parameters: declared.parameters,
    execute: async (args, { abortSignal }) => {
      try {
        return await api.runWebhookTool(declared.name, args, declared.timeoutMs, abortSignal);
      } catch (error) {
        throwForModel(error, `The ${declared.name} service`);
      }
    },
  });
}
