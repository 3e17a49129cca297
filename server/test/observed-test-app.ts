/**
 * Test support: the shared test app (`../test-app.ts`) wired for observation as main.ts wires it
 * (metered calls, LiveKit events with their call log context, one metrics registry), with every
 * log line it writes kept in memory.
 */
import { createHash } from 'node:crypto';
import { AccessToken, type WebhookEvent } from 'livekit-server-sdk';
import { byRoomTenant, livekitEventHandler } from '../src/livekit/livekit-events.js';
import type { PhoneDialer } from '../src/phone/outbound/phone-dialer.js';
import { PhoneNumbers } from '../src/phone/phone-numbers.js';
import type { PhoneProvisioner } from '@parley/sip';
import { Tenancy } from '../src/tenants/tenancy.js';
import { LIVEKIT_API_KEY, LIVEKIT_API_SECRET, startTestApp, type TestApp } from './test-app.js';
import { withCallLogContext } from '../src/observability/livekit-log-context.js';
import { createLogger, type Logger } from '../src/observability/logger.js';
import { meteredTenant } from '../src/observability/metered-calls.js';
import { ServerMetrics } from '../src/observability/metrics.js';

export type LogLine = Record<string, unknown> & { level: string; msg: string };

export interface ObservedApp extends TestApp {
  metrics: ServerMetrics;
  logger: Logger;
  /** Every line logged so far, parsed. */
  readonly logs: LogLine[];
  /** Every line logged so far, as written. */
  rawLogs: string[];
}

export interface ObservedAppOptions {
  /** Runs after the server's own handling of each LiveKit event. */
  afterLivekitEvent?: (event: WebhookEvent) => void | Promise<void>;
  /** Served under /widget. */
  widgetDist?: string;
  /** How long a call LiveKit closed waits for the agent's close before it is counted. */
  provisionalGraceMs?: number;
  /** LiveKit's SIP side for the outbound phone routes. */
  phoneDialer?: PhoneDialer;
  /** LiveKit's SIP side for the phone-number routes (numbers default to 127.0.0.1/32). */
  phoneProvisioner?: PhoneProvisioner;
}

export async function startObservedApp(options: ObservedAppOptions = {}): Promise<ObservedApp> {
  const rawLogs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void rawLogs.push(line) },
  });
  let metrics: ServerMetrics | undefined;
  const app = await startTestApp((tenant, storage) => {
    metrics = new ServerMetrics({ activeCalls: () => storage.countActiveCalls(), logger });
    const tenancy = new Tenancy({
      storage,
      defaultTenantId: tenant.tenantId,
      decorate: meteredTenant(metrics, logger, {
        provisionalGraceMs: options.provisionalGraceMs,
      }),
    });
    const log = (line: string) => logger.info(line);
    const handle = byRoomTenant(tenancy, (scoped) =>
      withCallLogContext(livekitEventHandler(scoped, log), scoped.calls),
    );
    const onLivekitEvent = async (event: WebhookEvent) => {
      await handle(event);
      await options.afterLivekitEvent?.(event);
    };
    return {
      tenancy,
      onLivekitEvent,
      widgetDist: options.widgetDist,
      ...(options.phoneDialer && { phoneDialer: options.phoneDialer }),
      ...(options.phoneProvisioner && {
        phoneNumbers: new PhoneNumbers({
          db: storage.db,
          secretCipher: storage.secretCipher,
          provisioner: options.phoneProvisioner,
          defaultAllowedAddresses: ['127.0.0.1/32'],
          log,
        }),
      }),
      metrics,
      logger,
    };
  });
  if (!metrics) throw new Error('startTestApp did not build the app');
  return {
    ...app,
    metrics,
    logger,
    rawLogs,
    get logs() {
      return rawLogs.map((line) => JSON.parse(line) as LogLine);
    },
  };
}

/** A LiveKit webhook delivery as livekit-server signs it, for the test app's key pair. */
export async function livekitWebhook(
  event: Record<string, unknown>,
): Promise<{ body: string; headers: Record<string, string> }> {
  const body = JSON.stringify({ createdAt: Math.floor(Date.now() / 1000), ...event });
  const token = new AccessToken(LIVEKIT_API_KEY, LIVEKIT_API_SECRET);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return {
    body,
    headers: { 'content-type': 'application/webhook+json', authorization: await token.toJwt() },
  };
}
