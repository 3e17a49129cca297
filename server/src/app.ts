import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { ApiError, errorHandler } from './http/api-error.js';
import { apiKeyRoutes } from './tenants/api-key-routes.js';
import { requireAdmin, requireBearer, requireOperator } from './tenants/bearer-auth.js';
import { healthRoutes, type Check } from './observability/health-routes.js';
import { internalRoutes } from './calls/internal-routes.js';
import {
  livekitWebhookRoutes,
  type LivekitEventHandler,
} from './livekit/livekit-webhook-routes.js';
import { appointmentRoutes } from './booking/appointment-routes.js';
import { callRoutes } from './calls/call-routes.js';
import { leadRoutes } from './leads/lead-routes.js';
import { secretRoutes } from './tenants/secret-routes.js';
import { widgetConfigRoutes } from './sessions/widget-config-routes.js';
import { personaRoutes } from './personas/persona-routes.js';
import { RateLimiter } from './http/rate-limiter.js';
import { OutgoingGuard } from './http/outgoing-guard.js';
import type { SessionIssuer } from './sessions/session-issuer.js';
import type { Tenancy } from './tenants/tenancy.js';
import { tenantRoutes } from './tenants/tenant-routes.js';
import { webhookEndpointRoutes } from './webhooks/webhook-endpoint-routes.js';
import { sessionRoutes } from './sessions/session-routes.js';
import type { WorkerRegistry } from './livekit/worker-registry.js';
import type { StandbyRooms } from './sessions/standby-rooms.js';
import { createLogger, type Logger } from './observability/logger.js';
import { ServerMetrics } from './observability/metrics.js';
import { metricsRoutes } from './observability/metrics-routes.js';
import { requestLog } from './observability/request-log.js';
import { openApiRoutes } from './openapi/index.js';
import { phoneNumberRoutes } from './phone/phone-number-routes.js';
import { PhoneNumbers } from './phone/phone-numbers.js';
import { continueOnPhoneRoutes } from './phone/outbound/continue-on-phone-routes.js';
import { dialPolicyRoutes } from './phone/outbound/dial-policy-routes.js';
import { outboundCallRoutes } from './phone/outbound/outbound-call-routes.js';
import { campaignRoutes } from './campaigns/campaign-routes.js';
import { OutboundPhone } from './phone/outbound/outbound-phone.js';
import { outboundTrunkRoutes } from './phone/outbound/outbound-trunk-routes.js';
import { UnavailablePhoneDialer, type PhoneDialer } from './phone/outbound/phone-dialer.js';
import { transferDialRoutes } from './phone/outbound/transfer-dial-routes.js';

export interface AppDeps {
  /** Every tenant's repositories; each request acts for one tenant (see `tenancy.ts`). */
  tenancy: Tenancy;
  issuer: SessionIssuer;
  workers: WorkerRegistry;
  /** Rooms with an agent already waiting for the next web sessions (main.ts); absent: none. */
  standby?: StandbyRooms;
  livekitReady: Check;
  /** livekit-sip's health (`PARLEY_SIP_HEALTH_URL`); absent: `/healthz` says 'not configured'. */
  sipReady?: Check;
  /**
   * Numbers routed to personas and provisioned on LiveKit (main.ts); by default numbers are only
   * stored, nothing is provisioned.
   */
  phoneNumbers?: PhoneNumbers;
  /** Verifies LiveKit's webhooks; the same key pair livekit-server signs with. */
  livekitApiKey: string;
  livekitApiSecret: string;
  onLivekitEvent: LivekitEventHandler;
  /** The operator key: the admin API on the default tenant, and tenant management. */
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
  /**
   * LiveKit's SIP side for outbound calls, transfers and "continue on my phone"
   * (`LivekitPhoneDialer`); without it those answer `sip_unavailable`.
   */
  phoneDialer?: PhoneDialer;
  /**
   * What places outbound calls (the routes' and the campaign scheduler's, main.ts); made from
   * `phoneDialer` and `workers` when absent.
   */
  outboundPhone?: OutboundPhone;
  /**
   * Where webhook tools may connect (`PARLEY_OUTBOUND_ALLOW`, main.ts); public addresses only
   * by default. Webhook endpoint URLs are checked against it too.
   */
  outgoing?: OutgoingGuard;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const { tenancy } = deps;
  const metrics =
    deps.metrics ?? new ServerMetrics({ activeCalls: () => tenancy.countActiveCalls() });
  // First, so every request is logged and counted, whatever answers it.
  const logger = deps.logger ?? createLogger({ level: 'warn' });
  const outgoing = deps.outgoing ?? new OutgoingGuard();
  app.use(requestLog({ logger, metrics }));
  const outboundPhone =
    deps.outboundPhone ??
    new OutboundPhone({
      dialer: deps.phoneDialer ?? new UnavailablePhoneDialer(),
      agents: deps.workers,
      log: (line) => logger.info(line),
    });
  // In the database: every replica counts against the same limits. One name per limiter.
  const perMinute = (name: string, limit: number) =>
    new RateLimiter(tenancy.db, { name, limit, windowMs: 60_000 });

  // CORS for the widget's routes only: any page may ask; the origin policy decides per persona.
  app.use(['/v1/sessions', '/v1/widget-config'], (req, res, next) => {
    const origin = req.get('origin');
    if (origin) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Vary', 'Origin');
      // `authorization`: "continue on my phone" presents the visitor's LiveKit token.
      res.set('Access-Control-Allow-Headers', 'content-type, authorization');
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
      db: tenancy.db,
      apiKey: deps.livekitApiKey,
      apiSecret: deps.livekitApiSecret,
      onEvent: deps.onLivekitEvent,
    }),
  );
  app.use(express.json({ limit: '64kb' }));

  app.use(
    healthRoutes({
      livekitReady: deps.livekitReady,
      workers: deps.workers,
      ...(deps.sipReady && { sipReady: deps.sipReady }),
    }),
  );
  app.use(metricsRoutes({ metrics, adminKey: deps.adminKey }));
  app.use(openApiRoutes());
  app.use(
    sessionRoutes({
      tenancy,
      workers: deps.workers,
      issuer: deps.issuer,
      limiter: perMinute('sessions-per-address', deps.sessionRatePerMinute),
      personaLimiter: perMinute('sessions-per-persona', deps.personaSessionRatePerMinute),
      development: deps.development,
      standby: deps.standby,
    }),
  );
  app.use(
    continueOnPhoneRoutes({
      tenancy,
      outbound: outboundPhone,
      livekitApiKey: deps.livekitApiKey,
      livekitApiSecret: deps.livekitApiSecret,
      limiter: perMinute('phone-requests-per-address', deps.sessionRatePerMinute),
      roomLimiter: new RateLimiter(tenancy.db, {
        name: 'phone-requests-per-room',
        limit: 3,
        windowMs: 10 * 60_000,
      }),
    }),
  );
  app.use(widgetConfigRoutes({ tenancy, development: deps.development }));
  // Each admin request acts for the tenant its key belongs to (the operator key: the default one,
  // or the one its Parley-Tenant header names).
  app.use(
    [
      '/v1/personas',
      '/v1/calls',
      '/v1/webhook-endpoints',
      '/v1/webhook-deliveries',
      '/v1/leads',
      '/v1/appointments',
      '/v1/phone-numbers',
      '/v1/outbound-trunks',
      '/v1/do-not-call',
      '/v1/dial-policy',
      '/v1/campaigns',
      '/v1/scheduled-calls',
      '/v1/secrets',
      '/v1/api-keys',
      '/v1/tenants',
    ],
    requireAdmin({ operatorKey: deps.adminKey, tenancy }),
  );
  app.use('/v1/tenants', requireOperator);
  app.use(tenantRoutes(tenancy));
  app.use(apiKeyRoutes());
  app.use(personaRoutes(outgoing));
  app.use(outboundCallRoutes(tenancy, outboundPhone));
  app.use(callRoutes());
  app.use(webhookEndpointRoutes(outgoing));
  app.use(leadRoutes());
  app.use(appointmentRoutes());
  app.use(
    phoneNumberRoutes(
      deps.phoneNumbers ??
        new PhoneNumbers({
          db: tenancy.db,
          secretCipher: tenancy.secretCipher,
          defaultAllowedAddresses: [],
        }),
    ),
  );
  app.use(outboundTrunkRoutes(outboundPhone.phoneDialer));
  app.use(dialPolicyRoutes());
  app.use(campaignRoutes({ tenancy, now: () => new Date() }));
  app.use(secretRoutes());
  app.use('/internal', requireBearer(deps.agentKey));
  app.use(internalRoutes({ tenancy, workers: deps.workers, outgoing }));
  app.use(transferDialRoutes(tenancy, outboundPhone));

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
