import path from 'node:path';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { livekitCheck } from './livekit-check.js';
import { byRoomTenant, livekitEventHandler } from './livekit-events.js';
import { withCallLogContext } from './observability/livekit-log-context.js';
import { createLogger, type Logger } from './observability/logger.js';
import { meteredTenant } from './observability/metered-calls.js';
import { meteredWebhookQueue } from './observability/metered-webhook-queue.js';
import { ServerMetrics } from './observability/metrics.js';
import { SessionIssuer } from './session-issuer.js';
import { Storage } from './storage/index.js';
import { Tenancy } from './tenancy.js';
import { WebhookSender } from './webhook-sender.js';
import { WorkerRegistry } from './worker-registry.js';

async function main(logger: Logger): Promise<void> {
  const config = loadConfig();
  logger.level = config.PARLEY_LOG_LEVEL;
  const storage = await Storage.open({
    ...(config.DATABASE_URL
      ? { url: config.DATABASE_URL }
      : { dataDir: path.join(config.PARLEY_DATA_DIR, 'db') }),
    webhookRetry: {
      baseDelayMs: config.PARLEY_WEBHOOK_RETRY_BASE_MS,
      maxDelayMs: config.PARLEY_WEBHOOK_RETRY_MAX_MS,
    },
  });
  const metrics = new ServerMetrics({ activeCalls: () => storage.countActiveCalls(), logger });
  const tenancy = new Tenancy({
    storage,
    defaultTenantId: (await storage.ensureDefaultTenant()).id,
    decorate: meteredTenant(metrics, logger),
  });
  const log = (line: string) => logger.info(line);
  const app = createApp({
    tenancy,
    issuer: new SessionIssuer({
      apiKey: config.LIVEKIT_API_KEY,
      apiSecret: config.LIVEKIT_API_SECRET,
      serverUrl: config.livekitPublicUrl,
      ttlSeconds: config.PARLEY_TOKEN_TTL,
    }),
    workers: new WorkerRegistry(),
    livekitReady: livekitCheck(
      config.LIVEKIT_URL,
      config.LIVEKIT_API_KEY,
      config.LIVEKIT_API_SECRET,
    ),
    livekitApiKey: config.LIVEKIT_API_KEY,
    livekitApiSecret: config.LIVEKIT_API_SECRET,
    onLivekitEvent: byRoomTenant(tenancy, (tenant) =>
      withCallLogContext(livekitEventHandler(tenant, log), tenant.calls),
    ),
    adminKey: config.PARLEY_ADMIN_KEY,
    agentKey: config.PARLEY_AGENT_KEY,
    sessionRatePerMinute: config.PARLEY_SESSION_RATE,
    personaSessionRatePerMinute: config.PARLEY_PERSONA_SESSION_RATE,
    development: config.PARLEY_ENV === 'development',
    widgetDist: config.PARLEY_WIDGET_DIST,
    demoDist: config.PARLEY_DEMO_DIST,
    metrics,
    logger,
  });
  const sender = new WebhookSender({
    queue: meteredWebhookQueue(storage.webhookQueue, metrics, logger),
    log: (line) => logger.warn(line),
  });
  sender.start();
  const server = app.listen(config.PORT, config.HOST, () => {
    logger.info(
      { host: config.HOST, port: config.PORT },
      `listening on http://${config.HOST}:${config.PORT}`,
    );
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    logger.fatal(
      { err },
      err.code === 'EADDRINUSE' ? `port ${config.PORT} is already in use` : err.message,
    );
    process.exit(1);
  });
  const stop = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'stopping');
    server.close(
      () =>
        void sender
          .stop()
          .then(() => storage.close())
          .finally(() => process.exit(0)),
    );
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// Start-up problems are logged too; the level is the configured one once the config is read.
const logger = createLogger({ level: 'info' });
main(logger).catch((err: unknown) => {
  if (err instanceof ConfigError) logger.fatal(err.message);
  else logger.fatal({ err }, 'the server could not start');
  process.exit(1);
});
