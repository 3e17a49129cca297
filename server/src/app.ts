import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { ApiError, errorHandler } from './api-error.js';
import { requireBearer } from './bearer-auth.js';
import { healthRoutes, type Check } from './health-routes.js';
import { internalRoutes } from './internal-routes.js';
import { livekitWebhookRoutes, type LivekitEventHandler } from './livekit-webhook-routes.js';
import { appointmentRoutes } from './appointment-routes.js';
import { callRoutes } from './call-routes.js';
import { leadRoutes } from './lead-routes.js';
import { phoneNumberRoutes } from './phone-number-routes.js';
import { secretRoutes } from './secret-routes.js';
import { widgetConfigRoutes } from './widget-config-routes.js';
import { personaRoutes } from './persona-routes.js';
import type { PersonaStore } from './persona-store.js';
import { RateLimiter } from './rate-limiter.js';
import type { SessionIssuer } from './session-issuer.js';
import type { CallRepo, TenantRecords, WebhookRepo } from './storage/index.js';
import { webhookEndpointRoutes } from './webhook-endpoint-routes.js';
import { sessionRoutes } from './session-routes.js';
import type { WorkerRegistry } from './worker-registry.js';
import { createLogger, type Logger } from './observability/logger.js';
import { ServerMetrics } from './observability/metrics.js';
import { metricsRoutes } from './observability/metrics-routes.js';
import { requestLog } from './observability/request-log.js';
import { openApiRoutes } from './openapi/index.js';

export interface AppDeps {
  personas: PersonaStore;
  calls: CallRepo;
  webhooks: WebhookRepo;
  /** Leads, appointments, consent, secrets, phone numbers and participant events. */
  records: TenantRecords;
  issuer: SessionIssuer;
  workers: WorkerRegistry;
  livekitReady: Check;
  /** Verifies LiveKit's webhooks; the same key pair livekit-server signs with. */
  livekitApiKey: string;
  livekitApiSecret: string;
  onLivekitEvent: LivekitEventHandler;
  adminKey: string;
  agentKey: string;
  sessionRatePerMinute: number;
  personaSessionRatePerMinute: number;
  /** Development: any localhost page may open sessions. */
  development: boolean;
  widgetDist?: string;
  demoDist?: string;
  /** Served at /metrics; pass the instance `meteredCalls` counts into. A fresh one by default. */
  metrics?: ServerMetrics;
  /** Request and event log; warnings and errors only by default. */
  logger?: Logger;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const metrics =
    deps.metrics ?? new ServerMetrics({ activeCalls: () => deps.calls.countActive() });
  // First, so every request is logged and counted, whatever answers it.
  app.use(requestLog({ logger: deps.logger ?? createLogger({ level: 'warn' }), metrics }));

  // CORS for the widget's routes only: any page may ask; the origin policy decides per persona.
  app.use(['/v1/sessions', '/v1/widget-config'], (req, res, next) => {
    const origin = req.get('origin');
    if (origin) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Vary', 'Origin');
      res.set('Access-Control-Allow-Headers', 'content-type');
      res.set('Access-Control-Allow-Methods', 'GET, POST');
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  });
  // Before the JSON parser: the webhook signature covers the raw body.
  app.use(
    livekitWebhookRoutes({
      apiKey: deps.livekitApiKey,
      apiSecret: deps.livekitApiSecret,
      onEvent: deps.onLivekitEvent,
    }),
  );
  app.use(express.json({ limit: '64kb' }));

  app.use(healthRoutes({ livekitReady: deps.livekitReady, workers: deps.workers }));
  app.use(metricsRoutes({ metrics, adminKey: deps.adminKey }));
  app.use(openApiRoutes());
  app.use(
    sessionRoutes({
      personas: deps.personas,
      calls: deps.calls,
      consents: deps.records.consents,
      issuer: deps.issuer,
      limiter: new RateLimiter(deps.sessionRatePerMinute, 60_000),
      personaLimiter: new RateLimiter(deps.personaSessionRatePerMinute, 60_000),
      development: deps.development,
    }),
  );
  app.use(widgetConfigRoutes({ personas: deps.personas, development: deps.development }));
  app.use(
    [
      '/v1/personas',
      '/v1/calls',
      '/v1/webhook-endpoints',
      '/v1/webhook-deliveries',
      '/v1/leads',
      '/v1/appointments',
      '/v1/phone-numbers',
      '/v1/secrets',
    ],
    requireBearer(deps.adminKey),
  );
  app.use(personaRoutes(deps.personas));
  app.use(callRoutes(deps.calls, deps.records));
  app.use(webhookEndpointRoutes(deps.webhooks));
  app.use(leadRoutes(deps.records.leads));
  app.use(appointmentRoutes(deps.records.appointments));
  app.use(phoneNumberRoutes(deps.records.phoneNumbers));
  app.use(secretRoutes(deps.records.secrets));
  app.use('/internal', requireBearer(deps.agentKey));
  app.use(
    internalRoutes({
      personas: deps.personas,
      calls: deps.calls,
      webhooks: deps.webhooks,
      records: deps.records,
      workers: deps.workers,
    }),
  );

  if (deps.widgetDist && existsSync(deps.widgetDist)) {
    // Public bundles: any site may load them (module scripts are fetched with CORS).
    app.use(
      '/widget',
      express.static(deps.widgetDist, {
        setHeaders: (res) => res.set('Access-Control-Allow-Origin', '*'),
      }),
    );
  }
  if (deps.demoDist && existsSync(deps.demoDist)) {
    app.use(express.static(deps.demoDist));
  }

  app.use((req, _res, next) => {
    next(new ApiError('not_found', `no route ${req.method} ${req.path}`));
  });
  app.use(errorHandler);
  return app;
}
