import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Channel, CallOutcome, ErrorCode } from '@parley/contracts';
import type { Logger } from './logger.js';

/**
 * The per-turn timings the agent reports (milliseconds, see agent/src/recording/README.md) and the
 * `stage` label each is observed under. Other timing keys are ignored: a label value taken from
 * the request would let one caller grow the series without bound.
 */
export const TURN_STAGES = {
  endOfTurnMs: 'end_of_turn',
  transcriptionMs: 'transcription',
  llmFirstTokenMs: 'llm_first_token',
  ttsFirstByteMs: 'tts_first_byte',
  e2eMs: 'e2e',
} as const;

/** What happened to one attempt of an outgoing webhook delivery. */
export type WebhookAttemptStatus = 'delivered' | 'retrying' | 'failed';

export interface ServerMetricsOptions {
  /** Counts the calls started and not yet ended, when scraped. */
  activeCalls: () => Promise<number>;
  /** Told when `activeCalls` fails; the gauge then keeps its last value. */
  logger?: Logger;
  /** Node's process metrics (CPU, memory, event loop, GC); on by default. */
  processMetrics?: boolean;
}

/** Turn stages last from tens of milliseconds (end of turn) to several seconds (a slow LLM). */
const LATENCY_BUCKETS = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];

/**
 * The server's Prometheus metrics, in a registry of its own: several apps in one process (as in
 * the tests) never share or double-register a series.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly callsTotal: Counter<'channel' | 'outcome'>;
  private readonly turnsTotal: Counter;
  private readonly turnLatency: Histogram<'stage'>;
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly apiErrors: Counter<'code'>;
  private readonly webhookDeliveries: Counter<'status'>;

  constructor(options: ServerMetricsOptions) {
    const registers = [this.registry];
    const { activeCalls, logger } = options;
    new Gauge({
      name: 'parley_active_calls',
      help: 'Calls started and not yet ended',
      registers,
      async collect() {
        try {
          this.set(await activeCalls());
        } catch (err) {
          logger?.warn({ err }, 'active calls could not be counted for /metrics');
        }
      },
    });
    this.callsTotal = new Counter({
      name: 'parley_calls_total',
      help: 'Calls ended, by channel and outcome',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.turnsTotal = new Counter({
      name: 'parley_turns_total',
      help: 'Conversation turns stored',
      registers,
    });
    this.turnLatency = new Histogram({
      name: 'parley_turn_latency_seconds',
      help: 'Per-turn latency the agent measured, by pipeline stage',
      labelNames: ['stage'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.httpRequests = new Counter({
      name: 'parley_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.apiErrors = new Counter({
      name: 'parley_api_errors_total',
      help: 'Error answers, by error code',
      labelNames: ['code'],
      registers,
    });
    this.webhookDeliveries = new Counter({
      name: 'parley_webhook_deliveries_total',
      help: 'Outgoing webhook delivery attempts: delivered, retrying (failed, will retry), failed (given up)',
      labelNames: ['status'],
      registers,
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  requestAnswered(method: string, route: string, status: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
  }

  errorAnswered(code: ErrorCode): void {
    this.apiErrors.inc({ code });
  }

  callEnded(channel: Channel, outcome: CallOutcome): void {
    this.callsTotal.inc({ channel, outcome });
  }

  turnStored(timings: Readonly<Record<string, number>>): void {
    this.turnsTotal.inc();
    for (const [key, stage] of Object.entries(TURN_STAGES)) {
      const ms = timings[key];
      if (ms !== undefined) this.turnLatency.observe({ stage }, ms / 1000);
    }
  }

  webhookAttempted(status: WebhookAttemptStatus): void {
    this.webhookDeliveries.inc({ status });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
