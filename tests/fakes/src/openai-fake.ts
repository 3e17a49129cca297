/**
 * A local stand-in for OpenAI's chat completions API (and so for every OpenAI-compatible
 * server): `POST /v1/chat/completions`, streamed as server-sent `chat.completion.chunk`s or
 * answered whole, and `GET /v1/models`. Clients authenticate with `Authorization: Bearer <key>`.
 * Replies come from {@link ScriptedReply}s queued with `script()`, else from the rule set in
 * chat-script.ts.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { splitWords } from '@parley/agent';
import {
  type ChatRequest,
  ChatRequestSchema,
  defaultReply,
  type ScriptedReply,
  textOf,
} from './chat-script.js';
import { type FakeControl, FakeServer, readBody, sendJson } from './fake-server.js';

export interface OpenAIFakeOptions {
  /** 0 picks a free port. */
  port: number;
  apiKey: string;
  /** Models `GET /v1/models` lists; any model name is accepted for completions. */
  models?: string[];
  /** Pause between streamed chunks, in milliseconds. */
  chunkDelayMs?: number;
}

export interface OpenAIFake extends FakeControl {
  /** The base URL for OpenAI clients (`http://127.0.0.1:<port>/v1`). */
  readonly baseURL: string;
  /** Queues replies for the next requests, in order, ahead of the rule set. */
  script(...replies: ScriptedReply[]): void;
  /** The parsed bodies of the chat completion requests so far. */
  readonly chats: readonly ChatRequest[];
}

const apiError = (status: number, message: string, type: string, code: string | null) => ({
  status,
  body: { error: { message, type, param: null, code } },
});

export async function startOpenAIFake(options: OpenAIFakeOptions): Promise<OpenAIFake> {
  const queue: ScriptedReply[] = [];
  const chats: ChatRequest[] = [];
  const delay = options.chunkDelayMs ?? 2;
  const server = new FakeServer({
    async request(req, res, drop) {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
        const message = 'Incorrect API key provided.';
        return sendJson(res, apiError(401, message, 'invalid_request_error', 'invalid_api_key'));
      }
      if (req.method === 'GET' && path === '/v1/models') {
        const data = (options.models ?? ['gpt-4o-mini']).map((id) => ({
          id,
          object: 'model',
          created: 1_700_000_000,
          owned_by: 'parley-fake',
        }));
        return sendJson(res, { status: 200, body: { object: 'list', data } });
      }
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        return sendJson(res, apiError(404, `Unknown path ${path}`, 'invalid_request_error', null));
      }
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req)).toString('utf8'));
      } catch {
        return sendJson(res, apiError(400, 'Body is not JSON', 'invalid_request_error', null));
      }
      const parsed = ChatRequestSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const message = `Invalid request: ${issue?.path.join('.')} ${issue?.message}`;
        return sendJson(res, apiError(400, message, 'invalid_request_error', null));
      }
      chats.push(parsed.data);
      const reply = queue.shift() ?? defaultReply(parsed.data);
      if (parsed.data.stream) await streamReply(res, parsed.data, reply, { drop, delay });
      else sendJson(res, { status: 200, body: wholeReply(parsed.data, reply) });
    },
  });
  await server.listen(options.port);
  return Object.assign(server, {
    get baseURL() {
      return `${server.url}/v1`;
    },
    script: (...replies: ScriptedReply[]) => void queue.push(...replies),
    chats,
  });
}

interface Completion {
  id: string;
  created: number;
  model: string;
}

function completion(request: ChatRequest): Completion {
  return {
    id: `chatcmpl-${randomUUID().replaceAll('-', '').slice(0, 24)}`,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
  };
}

function usage(request: ChatRequest, reply: ScriptedReply) {
  const prompt = request.messages.reduce((n, m) => n + splitWords(textOf(m.content)).length, 0);
  const calls = JSON.stringify(reply.toolCalls ?? []);
  const completionTokens =
    splitWords(reply.content ?? '').length + (reply.toolCalls ? calls.length / 4 : 0);
  const completion_tokens = Math.ceil(completionTokens);
  return {
    prompt_tokens: prompt,
    completion_tokens,
    total_tokens: prompt + completion_tokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
  };
}

const finishReason = (reply: ScriptedReply) => (reply.toolCalls?.length ? 'tool_calls' : 'stop');
const callId = () => `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`;

function wholeReply(request: ChatRequest, reply: ScriptedReply) {
  const toolCalls = reply.toolCalls?.map((call) => ({
    id: callId(),
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
  return {
    ...completion(request),
    object: 'chat.completion',
    system_fingerprint: 'fp_parley_fake',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: reply.content ?? null,
          refusal: null,
          tool_calls: toolCalls,
        },
        logprobs: null,
        finish_reason: finishReason(reply),
      },
    ],
    usage: usage(request, reply),
  };
}

async function streamReply(
  res: ServerResponse,
  request: ChatRequest,
  reply: ScriptedReply,
  { drop, delay }: { drop: boolean; delay: number },
): Promise<void> {
  const base = {
    ...completion(request),
    object: 'chat.completion.chunk',
    system_fingerprint: 'fp_parley_fake',
  };
  // With include_usage, every chunk but the last carries `usage: null`.
  const noUsage = request.stream_options?.include_usage ? { usage: null } : {};
  const send = async (choices: object[], extra: object = noUsage) => {
    res.write(`data: ${JSON.stringify({ ...base, choices, ...extra })}\n\n`);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  };
  const delta = (d: object, finish: string | null = null) => ({
    index: 0,
    delta: d,
    logprobs: null,
    finish_reason: finish,
  });

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  await send([delta({ role: 'assistant', content: '', refusal: null })]);
  if (drop) {
    res.socket?.destroy(); // an outage mid-stream: the connection goes, no [DONE]
    return;
  }
  for (const piece of reply.content?.match(/\S+\s*/g) ?? [])
    await send([delta({ content: piece })]);
  for (const [index, call] of (reply.toolCalls ?? []).entries()) {
    const args = JSON.stringify(call.arguments);
    await send([
      delta({
        tool_calls: [
          { index, id: callId(), type: 'function', function: { name: call.name, arguments: '' } },
        ],
      }),
    ]);
    for (let i = 0; i < args.length; i += 8) {
      await send([
        delta({ tool_calls: [{ index, function: { arguments: args.slice(i, i + 8) } }] }),
      ]);
    }
  }
  await send([delta({}, finishReason(reply))]);
  if (request.stream_options?.include_usage) await send([], { usage: usage(request, reply) });
  res.end('data: [DONE]\n\n');
}
