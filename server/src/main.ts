import path from 'node:path';
import { PhoneProvisioner } from '@parley/sip';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type ServerConfig } from './config.js';
import { OutgoingGuard } from './http/outgoing-guard.js';
import { livekitCheck } from './livekit/livekit-check.js';
import { byRoomTenant, livekitEventHandler } from './livekit/livekit-events.js';
import { withCallLogContext } from './observability/livekit-log-context.js';
import { createLogger, type Logger } from './observability/logger.js';
import { meteredTenant } from './observability/metered-calls.js';
import { meteredWebhookQueue } from './observability/metered-webhook-queue.js';
import { ServerMetrics } from './observability/metrics.js';
import { PhoneNumbers } from './phone/phone-numbers.js';
import { sipHealthCheck } from './phone/sip-health.js';
import { SessionIssuer } from './sessions/session-issuer.js';
import { LivekitStandby } from './sessions/livekit-standby.js';
import { StandbyRooms } from './sessions/standby-rooms.js';
import { Storage } from './storage/index.js';
import { Tenancy } from './tenants/tenancy.js';
import { SecretCipher } from './tenants/secret-cipher.js';
import { developmentSecretsKey } from './tenants/secrets-key-file.js';
import { WebhookSender } from './webhooks/webhook-sender.js';
import { WorkerRegistry } from './livekit/worker-registry.js';
import { LivekitPhoneDialer } from './phone/outbound/livekit-phone-dialer.js';
import { OutboundPhone } from './phone/outbound/outbound-phone.js';
import { OutboundScheduler } from './campaigns/outbound-scheduler.js';

/** How often the campaign scheduler looks for calls due. */
const SCHEDULER_INTERVAL_MS = 1000;
import { admitPhoneCallers } from './phone/phone-admission.js';

async function main(logger: Logger): Promise<void> {
  const config = loadConfig();
  logger.level = config.PARLEY_LOG_LEVEL;
  const storage = await Storage.open({
    ...(config.DATABASE_URL
      ? { url: config.DATABASE_URL }
      : { dataDir: path.join(config.PARLEY_DATA_DIR, 'db') }),
    secretCipher: await secretCipherOf(config, logger),
    webhookRetry: {
      baseDelayMs: config.PARLEY_WEBHOOK_RETRY_BASE_MS,
      maxDelayMs: config.PARLEY_WEBHOOK_RETRY_MAX_MS,
    },
  });
  const { secrets, webhookEndpoints } = storage.resealed;
  if (secrets + webhookEndpoints > 0) {
    logger.info(
      { secrets, webhookEndpoints, keyId: storage.secretCipher.keyId },
      'secrets: sealed stored values with the current key',
    );
  }
  const metrics = new ServerMetrics({ activeCalls: () => storage.countActiveCalls(), logger });
  const tenancy = new Tenancy({
    storage,
    defaultTenantId: (await storage.ensureDefaultTenant()).id,
    decorate: meteredTenant(metrics, logger),
  });
  const log = (line: string) => logger.info(line);
  // Webhook tools and deliveries reach public addresses, and the ranges the operator allows.
  const outgoing = new OutgoingGuard({ allow: config.PARLEY_OUTBOUND_ALLOW });
  const phoneNumbers = new PhoneNumbers({
    db: storage.db,
    secretCipher: storage.secretCipher,
    provisioner: new PhoneProvisioner({
      url: config.LIVEKIT_URL,
      apiKey: config.LIVEKIT_API_KEY,
      apiSecret: config.LIVEKIT_API_SECRET,
    }),
    defaultAllowedAddresses: config.PARLEY_SIP_ALLOWED_ADDRESSES,
    log,
  });
  const workers = new WorkerRegistry(storage.db);
  const standby = new StandbyRooms({
    size: config.PARLEY_STANDBY_ROOMS,
    livekit: new LivekitStandby({
      url: config.LIVEKIT_URL,
      apiKey: config.LIVEKIT_API_KEY,
      apiSecret: config.LIVEKIT_API_SECRET,
    }),
    capacity: workers,
    log: (fields, message) => logger.info(fields, message),
  });
  // The first rooms wait with the default persona, until a session asks for another.
  void tenancy
    .persona('default')
    .then((found) => standby.prime({ persona: found.persona }))
    .catch(() => undefined);
  standby.start();
  // Outbound calls, warm transfers and "continue on my phone" dial through livekit-sip.
  const phoneDialer = new LivekitPhoneDialer({
    url: config.LIVEKIT_URL,
    apiKey: config.LIVEKIT_API_KEY,
    apiSecret: config.LIVEKIT_API_SECRET,
  });
  // The routes' outbound calls and the campaign scheduler's go through the same guards.
  const outboundPhone = new OutboundPhone({
    dialer: phoneDialer,
    agents: workers,
    log: (line) => logger.info(line),
  });
  const app = createApp({
    tenancy,
    issuer: new SessionIssuer({
      apiKey: config.LIVEKIT_API_KEY,
      apiSecret: config.LIVEKIT_API_SECRET,
      serverUrl: config.livekitPublicUrl,
      ttlSeconds: config.PARLEY_TOKEN_TTL,
    }),
    workers,
    standby,
    livekitReady: livekitCheck(
      config.LIVEKIT_URL,
      config.LIVEKIT_API_KEY,
      config.LIVEKIT_API_SECRET,
    ),
    ...(config.PARLEY_SIP_HEALTH_URL && {
      sipReady: sipHealthCheck(config.PARLEY_SIP_HEALTH_URL),
    }),
    phoneNumbers,
    phoneDialer,
    outboundPhone,
    livekitApiKey: config.LIVEKIT_API_KEY,
    livekitApiSecret: config.LIVEKIT_API_SECRET,
    onLivekitEvent: standby.watch(
      admitPhoneCallers(
        {
          workers,
          closeRoom: (room) => phoneDialer.closeRoom(room),
          log: (fields, message) => logger.warn(fields, message),
        },
        byRoomTenant(tenancy, (tenant) =>
          withCallLogContext(livekitEventHandler(tenant, log), tenant.calls),
        ),
      ),
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
    outgoing,
  });
  const sender = new WebhookSender({
    queue: meteredWebhookQueue(storage.webhookQueue, metrics, logger),
    outgoing,
    log: (line) => logger.warn(line),
  });
  sender.start();
  // Campaigns and scheduled calls: every replica runs it; the database keeps them apart.
  const scheduler = new OutboundScheduler({
    tenantsWithWork: (now) => storage.tenantsWithOutboundWork(now),
    tenant: (tenantId) => tenancy.forTenant(tenantId),
    tenantHint: (tenantId) => (tenantId === tenancy.defaultTenantId ? undefined : tenantId),
    outbound: outboundPhone,
    log: (line) => logger.info(line),
  });
  scheduler.start(SCHEDULER_INTERVAL_MS);
  void reconcileOnStart(phoneNumbers, logger);
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
        void Promise.all([sender.stop(), scheduler.stop(), standby.stop()])
          .then(() => storage.close())
          .finally(() => process.exit(0)),
    );
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * The cipher of secrets at rest: PARLEY_SECRETS_KEY (required in production, `loadConfig` checks),
 * else in development the key generated once into the data directory.
 */
async function secretCipherOf(config: ServerConfig, logger: Logger): Promise<SecretCipher> {
  let key = config.PARLEY_SECRETS_KEY;
  if (!key) {
    const generated = await developmentSecretsKey(config.PARLEY_DATA_DIR);
    if (generated.created)
      logger.info({ file: generated.file }, 'secrets: generated a development key');
    key = generated.key;
  }
  return new SecretCipher({ key, oldKeys: config.PARLEY_SECRETS_OLD_KEYS });
}

/**
 * LiveKit's trunks and rules against the database, once LiveKit answers: drift while the server
 * was down (a rule deleted by hand, a number removed) is repaired and logged.
 */
async function reconcileOnStart(phoneNumbers: PhoneNumbers, logger: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const report = await phoneNumbers.reconcile();
      logger.info(
        { numbers: report.numbers, repaired: report.repaired.length, failed: report.failed.length },
        `phone: reconciled LiveKit with ${report.numbers} assigned numbers`,
      );
      return;
    } catch (err) {
      if (attempt >= 12) {
        logger.error({ err }, 'phone: could not reconcile LiveKit; numbers may not be routed');
        return;
      }
      logger.warn({ err, attempt }, 'phone: LiveKit not reachable for reconciliation yet');
      await new Promise((resolve) => setTimeout(resolve, 5000).unref());
    }
  }
}

// Start-up problems are logged too; the level is the configured one once the config is read.
const logger = createLogger({ level: 'info' });
main(logger).catch((err: unknown) => {
  if (err instanceof ConfigError) logger.fatal(err.message);
  else logger.fatal({ err }, 'the server could not start');
  process.exit(1);
});
