export { createApp, type AppDeps } from './app.js';
export { loadConfig, type ServerConfig } from './config.js';
export { type PersonaStore } from './persona-store.js';
export * from './storage/index.js';
export { SessionIssuer } from './session-issuer.js';
export { Tenancy, type TenancyOptions } from './tenancy.js';
export { WorkerRegistry } from './worker-registry.js';
export { LivekitPhoneDialer } from './phone/outbound/livekit-phone-dialer.js';
