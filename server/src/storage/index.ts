export { Storage, type StorageOptions, type TenantStorage } from './storage.js';
export {
  openDatabase,
  type Database,
  type OpenDatabaseOptions,
  type Queryable,
} from './database.js';
export { MigrationError, loadMigrations, migrate, type Migration } from './migrate.js';
export type { Page } from './row-helpers.js';
export * from './schemas.js';
export { TenantRepo, type Tenant } from './tenant-repo.js';
export {
  API_KEY_PREFIX,
  ApiKeyRepo,
  hashApiKey,
  verifyApiKey,
  type ApiKey,
  type IssuedApiKey,
  type VerifiedApiKey,
} from './api-key-repo.js';
export { PersonaRepo, type PersonaVersion } from './persona-repo.js';
export { PhoneNumberRepo, resolvePhoneNumber } from '../phone/phone-number-repo.js';
export type { Call, CallDetail, Caller, ToolCall, Turn } from './call-rows.js';
export { CallRepo, type AppendedTurn, type ClosedCall } from './call-repo.js';
export { CallEventRepo } from './call-event-repo.js';
export { RoomRepo } from './room-repo.js';
export { ConsentRepo } from './consent-repo.js';
export { LeadRepo } from './lead-repo.js';
export { AppointmentRepo, SlotTakenError } from './appointment-repo.js';
export { SecretRepo } from './secret-repo.js';
export type { Appointment, Lead, PhoneNumber } from '@parley/contracts';
export {
  WebhookRepo,
  type DeliveryStatus,
  type WebhookDelivery,
  type WebhookEndpoint,
} from './webhook-repo.js';
export { WebhookQueue, type DueDelivery, type WebhookQueueOptions } from './webhook-queue.js';
