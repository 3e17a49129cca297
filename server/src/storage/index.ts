export {
  Storage,
  type StorageOptions,
  type TenantDecorator,
  type TenantStorage,
} from './storage.js';
export {
  openDatabase,
  type Database,
  type OpenDatabaseOptions,
  type Queryable,
} from './database.js';
export { MigrationError, loadMigrations, migrate, type Migration } from './migrate.js';
export * from './schemas.js';
export { TenantRepo, type Tenant } from '../tenants/tenant-repo.js';
export {
  API_KEY_PREFIX,
  ApiKeyRepo,
  hashApiKey,
  verifyApiKey,
  type ApiKey,
  type IssuedApiKey,
  type VerifiedApiKey,
} from '../tenants/api-key-repo.js';
export { PersonaRepo } from '../personas/persona-repo.js';
export { PhoneNumberRepo, resolvePhoneNumber } from '../phone/phone-number-repo.js';
export { CallRepo, type AppendedTurn, type ClosedCall } from '../calls/call-repo.js';
export { CallEventRepo } from '../calls/call-event-repo.js';
export { RoomRepo } from '../sessions/room-repo.js';
export { ConsentRepo } from '../consent/consent-repo.js';
export { LeadRepo } from '../leads/lead-repo.js';
export { AppointmentRepo, SlotTakenError } from '../booking/appointment-repo.js';
export { SecretRepo } from '../tenants/secret-repo.js';
export { WebhookRepo } from '../webhooks/webhook-repo.js';
export {
  WebhookQueue,
  type DueDelivery,
  type WebhookQueueOptions,
} from '../webhooks/webhook-queue.js';
