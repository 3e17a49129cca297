import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { REPO_ROOT } from './package-dir.js';

const DEBIAN_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

/** Where the offline STT finds its shim and model; every path can be overridden from env. */
export interface PocketSphinxPaths {
  /** The `parley-ps-stream` shim (`make -C agent/native`). */
  binPath: string;
  /** Acoustic model directory. */
  hmmDir: string;
  /** General language model. */
  lmPath: string;
  /** Pronunciation dictionary. */
  dictPath: string;
  /**
   * The worker's PocketSphinx server (`PARLEY_PS_SERVER_SOCKET`, set by the worker for its job
   * processes: `providers/pocketsphinx-server.ts`); unset, every stream loads the model itself.
   */
  serverSocket?: string;
}

export interface AgentConfig {
  /** Base URL of the Parley server, without a trailing slash. */
  serverUrl: string;
  /** Service credential the agent presents to the server's `/internal` routes. */
  agentKey: string;
  livekit: { url: string; apiKey: string; apiSecret: string };
  pocketsphinx: PocketSphinxPaths;
  /** The `flite` executable. */
  fliteBin: string;
  /**
   * Local turn-taking signals: the silence after which silero's VAD says the caller stopped
   * talking, and after which PocketSphinx makes its transcript final (both milliseconds).
   * The persona's endpointing delays and end-of-turn model decide on top of them.
   */
  endOfSpeech: { vadSilenceMs: number; sttSilenceMs: number };
  heartbeatIntervalMs: number;
  /** Calls one worker takes at once; LiveKit sends further calls to other workers. */
  maxJobs: number;
  /**
   * Job processes kept started and waiting (the VAD loaded), so a call does not wait for one to
   * start; LiveKit Agents starts the next one when a call takes one, one at a time, but never
   * more processes in all than `maxJobs`. By default `maxJobs`, at most 4.
   */
  idleProcesses: number;
  /** Where the worker's own health endpoint (LiveKit Agents' HTTP server) listens. */
  workerHttp: { host: string; port: number };
  /** Cloud providers; a provider whose `apiKey` is undefined is not configured. */
  cloud: CloudConfig;
}

/** Deepgram streaming STT. */
export interface DeepgramConfig {
  apiKey?: string;
  /** `wss://api.deepgram.com` unless pointed elsewhere (a proxy, a test fake). */
  baseUrl: string;
  model: string;
}

/** Any server that speaks OpenAI's chat completions: OpenAI, Groq, Cerebras, Ollama, vLLM, llama.cpp. */
export interface OpenAIConfig {
  apiKey?: string;
  /** Undefined means OpenAI itself (`https://api.openai.com/v1`). */
  baseURL?: string;
  model: string;
  /** How long one request may take to start answering before the next engine is tried. */
  attemptTimeoutMs: number;
}

/** Cartesia streaming TTS. */
export interface CartesiaConfig {
  apiKey?: string;
  baseUrl: string;
  model: string;
  /** Voice id used when the persona's voice is not a Cartesia voice id; undefined = the plugin's. */
  voice?: string;
}

export interface CloudConfig {
  deepgram: DeepgramConfig;
  openai: OpenAIConfig;
  cartesia: CartesiaConfig;
}

/** A configuration value is missing or invalid; `key` names the environment variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'invalid_config';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`${key}: ${message}`);
  }
}

type Env = Record<string, string | undefined>;

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must be an http:// or https:// URL');
const wsUrl = z
  .string()
  .url()
  .refine((u) => /^(wss?|https?):\/\//.test(u), 'must be a ws://, wss://, http:// or https:// URL');
const secret = z.string().min(1, 'must not be empty');
const path = z.string().min(1, 'must not be empty');
const port = z.coerce.number().int().min(0).max(65_535);
const millis = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

function read<T>(env: Env, key: string, schema: z.ZodType<T>, fallback?: string): T {
  const raw = env[key]?.trim() || fallback;
  if (raw === undefined) throw new ConfigError(key, 'is required');
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const reason = parsed.error.issues[0]?.message ?? 'is invalid';
    throw new ConfigError(key, `${reason} (got ${JSON.stringify(raw)})`);
  }
  return parsed.data;
}

/** A value that may be absent; blank counts as absent, so `KEY=` in a .env file unsets it. */
function optional<T>(env: Env, key: string, schema: z.ZodType<T>): T | undefined {
  return env[key]?.trim() ? read(env, key, schema) : undefined;
}

/** Cloud provider keys, endpoints and models from env (see agent/README.md). */
export function cloudConfig(env: Env = process.env): CloudConfig {
  return {
    deepgram: {
      apiKey: optional(env, 'DEEPGRAM_API_KEY', secret),
      // The plugin's streaming path wants a ws(s) URL and derives http(s) from it for REST.
      baseUrl: read(env, 'DEEPGRAM_BASE_URL', wsUrl, 'wss://api.deepgram.com')
        .replace(/^http/, 'ws')
        .replace(/\/+$/, ''),
      model: read(env, 'PARLEY_DEEPGRAM_MODEL', z.string().min(1), 'nova-3'),
    },
    openai: {
      apiKey: optional(env, 'OPENAI_API_KEY', secret),
      baseURL: optional(env, 'OPENAI_BASE_URL', httpUrl)?.replace(/\/+$/, ''),
      model: read(env, 'PARLEY_LLM_MODEL', z.string().min(1), 'gpt-4o-mini'),
      attemptTimeoutMs: read(
        env,
        'PARLEY_LLM_TIMEOUT_MS',
        z.coerce.number().int().min(500).max(120_000),
        '10000',
      ),
    },
    cartesia: {
      apiKey: optional(env, 'CARTESIA_API_KEY', secret),
      baseUrl: read(env, 'CARTESIA_BASE_URL', httpUrl, 'https://api.cartesia.ai').replace(
        /\/+$/,
        '',
      ),
      model: read(env, 'PARLEY_CARTESIA_MODEL', z.string().min(1), 'sonic-3'),
      voice: optional(env, 'PARLEY_CARTESIA_VOICE', z.string().min(1)),
    },
  };
}

/** The offline STT's paths from env, falling back to the repo's tools folder and Debian's model. */
export function pocketSphinxPaths(env: Env = process.env): PocketSphinxPaths {
  return {
    binPath: read(env, 'PARLEY_PS_STREAM_BIN', path, `${REPO_ROOT}/.tools/bin/parley-ps-stream`),
    hmmDir: read(env, 'PARLEY_PS_HMM_DIR', path, `${DEBIAN_MODEL_DIR}/en-us`),
    lmPath: read(env, 'PARLEY_PS_LM', path, `${DEBIAN_MODEL_DIR}/en-us.lm.bin`),
    dictPath: read(env, 'PARLEY_PS_DICT', path, `${DEBIAN_MODEL_DIR}/cmudict-en-us.dict`),
    serverSocket: optional(env, 'PARLEY_PS_SERVER_SOCKET', z.string().min(1)),
  };
}

/** Calls one worker takes at once: `PARLEY_AGENT_MAX_JOBS`, by default 2 per CPU core. */
function maxJobsOf(env: Env): number {
  return read(
    env,
    'PARLEY_AGENT_MAX_JOBS',
    z.coerce.number().int().min(1).max(1_000),
    String(2 * availableParallelism()),
  );
}

/**
 * Builds the agent's configuration from env. Throws a {@link ConfigError} naming the first bad
 * key. With `checkFiles`, the shim and model files must exist too, so a worker fails at start-up
 * rather than at its first call.
 */
export function loadConfig(env: Env = process.env, { checkFiles = false } = {}): AgentConfig {
  const maxJobs = maxJobsOf(env);
  const config: AgentConfig = {
    serverUrl: read(env, 'PARLEY_SERVER_URL', httpUrl, 'http://127.0.0.1:8787').replace(/\/+$/, ''),
    agentKey: read(env, 'PARLEY_AGENT_KEY', secret),
    livekit: {
      url: read(env, 'LIVEKIT_URL', wsUrl),
      apiKey: read(env, 'LIVEKIT_API_KEY', secret),
      apiSecret: read(env, 'LIVEKIT_API_SECRET', secret),
    },
    pocketsphinx: pocketSphinxPaths(env),
    fliteBin: read(env, 'PARLEY_FLITE_BIN', path, 'flite'),
    endOfSpeech: {
      vadSilenceMs: read(env, 'PARLEY_VAD_SILENCE_MS', millis(50, 2000), '250'),
      sttSilenceMs: read(env, 'PARLEY_STT_SILENCE_MS', millis(50, 2000), '200'),
    },
    heartbeatIntervalMs: read(
      env,
      'PARLEY_HEARTBEAT_INTERVAL_MS',
      z.coerce.number().int().min(100).max(60_000),
      '5000',
    ),
    maxJobs,
    idleProcesses: read(
      env,
      'PARLEY_AGENT_IDLE_PROCESSES',
      z.coerce.number().int().min(1).max(100),
      // Every call the worker takes, up to 4: on a small machine all of them start warm.
      String(Math.min(maxJobs, 4)),
    ),
    workerHttp: {
      host: read(env, 'PARLEY_AGENT_HTTP_HOST', z.string().min(1), '127.0.0.1'),
      port: read(env, 'PARLEY_AGENT_HTTP_PORT', port, '8081'),
    },
    cloud: cloudConfig(env),
  };
  if (checkFiles) {
    const files: [string, string][] = [
      ['PARLEY_PS_STREAM_BIN', config.pocketsphinx.binPath],
      ['PARLEY_PS_HMM_DIR', config.pocketsphinx.hmmDir],
      ['PARLEY_PS_LM', config.pocketsphinx.lmPath],
      ['PARLEY_PS_DICT', config.pocketsphinx.dictPath],
    ];
    for (const [key, file] of files) {
      if (!existsSync(file)) {
        const hint = key === 'PARLEY_PS_STREAM_BIN' ? ' (build it: make -C agent/native)' : '';
        throw new ConfigError(key, `${file} does not exist${hint}`);
      }
    }
  }
  return config;
}
