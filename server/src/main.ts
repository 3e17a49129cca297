import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { livekitCheck } from './livekit-check.js';
import { livekitEventHandler } from './livekit-events.js';
import path from 'node:path';
import { SessionIssuer } from './session-issuer.js';
import { Storage } from './storage/index.js';
import { WebhookSender } from './webhook-sender.js';
import { WorkerRegistry } from './worker-registry.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const storage = await Storage.open(
    config.DATABASE_URL
      ? { url: config.DATABASE_URL }
      : { dataDir: path.join(config.PARLEY_DATA_DIR, 'db') },
  );
  const tenant = storage.forTenant((await storage.ensureDefaultTenant()).id);
  const app = createApp({
    personas: tenant.personas,
    calls: tenant.calls,
    webhooks: tenant.webhooks,
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
    onLivekitEvent: livekitEventHandler(tenant.calls),
    adminKey: config.PARLEY_ADMIN_KEY,
    agentKey: config.PARLEY_AGENT_KEY,
    sessionRatePerMinute: config.PARLEY_SESSION_RATE,
    personaSessionRatePerMinute: config.PARLEY_PERSONA_SESSION_RATE,
    development: config.PARLEY_ENV === 'development',
    widgetDist: config.PARLEY_WIDGET_DIST,
    demoDist: config.PARLEY_DEMO_DIST,
  });
  const sender = new WebhookSender({ queue: storage.webhookQueue });
  sender.start();
  const server = app.listen(config.PORT, config.HOST, () => {
    console.log(`listening on http://${config.HOST}:${config.PORT}`);
  });
  server.on('error', (err: NodeJS.ErrnoException) => {
    console.error(
      err.code === 'EADDRINUSE' ? `port ${config.PORT} is already in use` : err.message,
    );
    process.exit(1);
  });
  const stop = (): void => {
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

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
