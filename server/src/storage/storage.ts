import { countActiveCalls, tenantOfCall } from '../calls/all-tenant-calls.js';
import {
  ApiKeyRepo,
  verifyApiKey,
  type IssuedApiKey,
  type VerifiedApiKey,
} from '../tenants/api-key-repo.js';
import { AppointmentRepo } from '../booking/appointment-repo.js';
import { CallEventRepo } from '../calls/call-event-repo.js';
import { CallRepo } from '../calls/call-repo.js';
import { ConsentRepo } from '../consent/consent-repo.js';
import { openDatabase, type Database, type OpenDatabaseOptions } from './database.js';
import { withinTransaction } from './within-transaction.js';
import { LeadRepo } from '../leads/lead-repo.js';
import { PersonaRepo } from '../personas/persona-repo.js';
import type { PhoneNumber } from '@parley/contracts';
import { PhoneNumberRepo, resolvePhoneNumber } from '../phone/phone-number-repo.js';
import { RoomRepo, tenantOfRoom } from '../sessions/room-repo.js';
import type { ApiKeyInput, TenantInput } from './schemas.js';
import { SecretRepo, resealSecrets } from '../tenants/secret-repo.js';
import type { SecretCipher } from '../tenants/secret-cipher.js';
import { TenantRepo, type Tenant } from '../tenants/tenant-repo.js';
import { WebhookQueue, type WebhookQueueOptions } from '../webhooks/webhook-queue.js';
import { WebhookRepo, resealEndpointSecrets } from '../webhooks/webhook-repo.js';
import { DialPolicyRepo } from '../phone/outbound/dial-policy-repo.js';
import { OutboundTrunkRepo } from '../phone/outbound/outbound-trunk-repo.js';
import { CampaignRepo } from '../campaigns/campaign-repo.js';
import { ScheduledCallRepo, tenantsWithOutboundWork } from '../campaigns/scheduled-call-repo.js';

/** Every repository of one tenant; nothing reached through it can see another tenant's rows. */
export interface TenantStorage {
  tenantId: string;
  apiKeys: ApiKeyRepo;
  personas: PersonaRepo;
  phoneNumbers: PhoneNumberRepo;
  calls: CallRepo;
  callEvents: CallEventRepo;
  consents: ConsentRepo;
  leads: LeadRepo;
  appointments: AppointmentRepo;
  webhooks: WebhookRepo;
  secrets: SecretRepo;
  rooms: RoomRepo;
  /** The carriers the tenant dials out through. */
  outboundTrunks: OutboundTrunkRepo;
  /** Dial policy, do-not-call list and active phone calls: what every outbound dial is checked against. */
  dialRules: DialPolicyRepo;
  /** Outbound campaigns, their contacts and attempts. */
  campaigns: CampaignRepo;
  /** Single outbound calls at a given time (API, reminders, callbacks). */
  scheduledCalls: ScheduledCallRepo;
  /**
   * Runs `fn` in one transaction that first takes the tenant's lock, with the tenant's
   * repositories (and the database) bound to that transaction: two of them for one tenant, on
   * any server replica, run one after the other. For a check whose answer must still hold when
   * what it lets through is written (the tenant's concurrent phone calls). `fn` must use what it
   * is given: on PGlite, anything else waits for the transaction, which waits for `fn`.
   */
  exclusively<T>(fn: (tenant: TenantStorage, db: Database) => Promise<T>): Promise<T>;
}

/** How the routes see a tenant's repositories (`Tenancy`'s `decorate`). */
export type TenantDecorator = (tenant: TenantStorage) => TenantStorage;

/** Arbitrary, fixed: the first key of each tenant's advisory lock; the tenant's id hashes to the second. */
const TENANT_LOCK = 7_242_020;

/** One tenant's repositories on `db`, as `decorate` shapes them, inside `exclusively` too. */
function tenantStorage(
  db: Database,
  tenantId: string,
  decorate: TenantDecorator,
  cipher: SecretCipher,
): TenantStorage {
  return decorate({
    tenantId,
    apiKeys: new ApiKeyRepo(db, tenantId),
    personas: new PersonaRepo(db, tenantId),
    phoneNumbers: new PhoneNumberRepo(db, tenantId),
    calls: new CallRepo(db, tenantId),
    callEvents: new CallEventRepo(db, tenantId),
    consents: new ConsentRepo(db, tenantId),
    leads: new LeadRepo(db, tenantId),
    appointments: new AppointmentRepo(db, tenantId),
    webhooks: new WebhookRepo(db, tenantId, cipher),
    secrets: new SecretRepo(db, tenantId, cipher),
    rooms: new RoomRepo(db, tenantId),
    outboundTrunks: new OutboundTrunkRepo(db, tenantId),
    dialRules: new DialPolicyRepo(db, tenantId),
    campaigns: new CampaignRepo(db, tenantId),
    scheduledCalls: new ScheduledCallRepo(db, tenantId),
    exclusively: (fn) =>
      db.transaction(async (tx) => {
        // Held until the transaction ends; taken again inside it, it is already held.
        await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [TENANT_LOCK, tenantId]);
        const within = withinTransaction(tx, db.kind);
        return fn(tenantStorage(within, tenantId, decorate, cipher), within);
      }),
  });
}

export interface StorageOptions extends OpenDatabaseOptions {
  /** Seals tenant secrets and webhook signing secrets at rest (`PARLEY_SECRETS_KEY`). */
  secretCipher: SecretCipher;
  webhookRetry?: Partial<WebhookQueueOptions>;
}

/** Stored secrets sealed again when the database was opened (see `Storage.open`). */
export interface ResealedSecrets {
  secrets: number;
  webhookEndpoints: number;
}

/**
 * Parley's storage: the embedded database (PGlite in `dataDir`) or PostgreSQL (`url`), migrated on
 * open. Cross-tenant entry points (tenants, key verification, the tenant of a call or a room,
 * phone routing, the webhook sender's queue) live here; everything else is reached through `forTenant`.
 */
export class Storage {
  readonly tenants: TenantRepo;
  readonly webhookQueue: WebhookQueue;
  readonly secretCipher: SecretCipher;

  private constructor(
    readonly db: Database,
    options: StorageOptions,
    /** What `open` sealed again: legacy plain values and old keys' values. */
    readonly resealed: ResealedSecrets,
  ) {
    this.tenants = new TenantRepo(db);
    this.secretCipher = options.secretCipher;
    this.webhookQueue = new WebhookQueue(db, options.secretCipher, options.webhookRetry);
  }

  /**
   * Opens and migrates the database, then seals every stored secret not sealed with the current
   * key: values stored before secrets were sealed, and values of a key that is being rotated out
   * (`PARLEY_SECRETS_OLD_KEYS`). Refuses to open when a stored secret does not open with the
   * configured keys (`SecretCipherError`).
   */
  static async open(options: StorageOptions): Promise<Storage> {
    const db = await openDatabase(options);
    try {
      const resealed = {
        secrets: await resealSecrets(db, options.secretCipher),
        webhookEndpoints: await resealEndpointSecrets(db, options.secretCipher),
      };
      return new Storage(db, options, resealed);
    } catch (err) {
      await db.close();
      throw err;
    }
  }

  /** One tenant's repositories, shaped by `decorate` (also those `exclusively` hands out). */
  forTenant(tenantId: string, decorate: TenantDecorator = (tenant) => tenant): TenantStorage {
    return tenantStorage(this.db, tenantId, decorate, this.secretCipher);
  }

  /** A new tenant with its first API key, both or neither. */
  createTenant(
    input: TenantInput,
    firstKey: ApiKeyInput,
  ): Promise<{ tenant: Tenant; key: IssuedApiKey }> {
    return this.db.transaction(async (tx) => {
      const tenant = await new TenantRepo(tx).create(input);
      // A new tenant can be talked to at once: it starts with the built-in starter persona.
      await new PersonaRepo(withinTransaction(tx, this.db.kind), tenant.id).ensureDefault();
      return { tenant, key: await new ApiKeyRepo(tx, tenant.id).create(firstKey) };
    });
  }

  /** The tenant a presented API key belongs to, or nothing for unknown and revoked keys. */
  verifyApiKey(plaintext: string): Promise<VerifiedApiKey | undefined> {
    return verifyApiKey(this.db, plaintext);
  }

  /** The tenant a call belongs to, whoever asks: the agent names calls by id alone. */
  tenantOfCall(callId: string): Promise<string | undefined> {
    return tenantOfCall(this.db, callId);
  }

  /** The tenant a LiveKit room belongs to, by its web session or its call. */
  tenantOfRoom(roomName: string): Promise<string | undefined> {
    return tenantOfRoom(this.db, roomName);
  }

  /** Calls started and not yet ended, across tenants. */
  countActiveCalls(): Promise<number> {
    return countActiveCalls(this.db);
  }

  /** Tenants with a running campaign or a scheduled call due at `now`: the scheduler's work. */
  tenantsWithOutboundWork(now: Date): Promise<string[]> {
    return tenantsWithOutboundWork(this.db, now);
  }

  /** Which tenant and persona answer a dialed number. */
  resolvePhoneNumber(e164: string): Promise<PhoneNumber | undefined> {
    return resolvePhoneNumber(this.db, e164);
  }

  /**
   * The out-of-the-box tenant (`default`) with its `default` persona; idempotent, for start-up
   * when there is no tenant administration yet.
   */
  async ensureDefaultTenant(): Promise<Tenant> {
    const tenant = await this.tenants.ensure({ slug: 'default', name: 'Default' });
    await this.forTenant(tenant.id).personas.ensureDefault();
    return tenant;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
