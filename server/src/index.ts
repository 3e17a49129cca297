export { createApp, type AppDeps } from './app.js';
export {
  LOOPBACK_RANGES,
  OutgoingGuard,
  OutgoingRequestRefused,
  type OutgoingGuardOptions,
} from './http/outgoing-guard.js';
export { loadConfig, type ServerConfig } from './config.js';
export { type PersonaStore } from './personas/persona-store.js';
export * from './storage/index.js';
export { SessionIssuer } from './sessions/session-issuer.js';
export { Tenancy, type TenancyOptions } from './tenants/tenancy.js';
export { WorkerRegistry } from './livekit/worker-registry.js';
export { LivekitPhoneDialer } from './phone/outbound/livekit-phone-dialer.js';
export { DEFAULT_PERSONA } from './personas/default-persona.js';
export {
  SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
} from './webhooks/webhook-signature.js';
