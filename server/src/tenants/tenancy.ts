import { NotFoundError, type DomainError } from '../domain-errors.js';
import type { Persona } from '@parley/contracts';
import type { Database } from '../storage/database.js';
import type { SecretCipher } from './secret-cipher.js';
import type {
  Storage,
  TenantDecorator,
  TenantRepo,
  TenantStorage,
  VerifiedApiKey,
} from '../storage/index.js';

export interface TenancyOptions {
  storage: Storage;
  /** The out-of-the-box tenant: the operator key acts on it and bare persona ids name its personas. */
  defaultTenantId: string;
  /** How the routes see each tenant's repositories (main.ts meters the call repository). */
  decorate?: TenantDecorator;
}

/** A persona found by a public reference, with the tenant it belongs to. */
export interface TenantPersona {
  tenant: TenantStorage;
  persona: Persona;
}

/**
 * Which tenant a request acts for, and that tenant's repositories. Admin requests bring it with
 * their key; public requests with the persona they name; the agent with the tenant of the call
 * (or the hint its dispatch carried); LiveKit's webhooks with the room.
 */
export class Tenancy {
  readonly defaultTenantId: string;
  private readonly storage: Storage;
  private readonly decorate: TenantDecorator;

  constructor(options: TenancyOptions) {
    this.storage = options.storage;
    this.defaultTenantId = options.defaultTenantId;
    this.decorate = options.decorate ?? ((tenant) => tenant);
  }

  /** The database itself: for work across tenants or in one transaction (phone provisioning). */
  get db(): Database {
    return this.storage.db;
  }

  /** Seals and opens stored secrets, for repositories made outside `forTenant`. */
  get secretCipher(): SecretCipher {
    return this.storage.secretCipher;
  }

  get tenants(): TenantRepo {
    return this.storage.tenants;
  }

  forTenant(tenantId: string): TenantStorage {
    return this.storage.forTenant(tenantId, this.decorate);
  }

  get defaultTenant(): TenantStorage {
    return this.forTenant(this.defaultTenantId);
  }

  /** The id of the tenant `ref` names by id or slug, or nothing when there is none. */
  async tenantIdOf(ref: string): Promise<string | undefined> {
    return ((await this.tenants.get(ref)) ?? (await this.tenants.getBySlug(ref)))?.id;
  }

  verifyApiKey(plaintext: string): Promise<VerifiedApiKey | undefined> {
    return this.storage.verifyApiKey(plaintext);
  }

  /** Calls started and not yet ended, across tenants (the `parley_active_calls` gauge). */
  countActiveCalls(): Promise<number> {
    return this.storage.countActiveCalls();
  }

  createTenant(...args: Parameters<Storage['createTenant']>): ReturnType<Storage['createTenant']> {
    return this.storage.createTenant(...args);
  }

  /**
   * The tenant a hint names (the agent passes its dispatch's `tenantId` back), the default one
   * without a hint. An unknown tenant is `notFound`: nothing of it can exist.
   */
  async byHint(tenantId: string | undefined, notFound: DomainError): Promise<TenantStorage> {
    if (tenantId === undefined) return this.defaultTenant;
    if (!(await this.tenants.get(tenantId))) throw notFound;
    return this.forTenant(tenantId);
  }

  /**
   * The persona a public route names: `sales` is the default tenant's, `acme/sales` tenant acme's.
   * An unknown tenant answers like an unknown persona, so slugs cannot be probed.
   */
  async persona(ref: string): Promise<TenantPersona> {
    const notFound = new NotFoundError('persona_not_found', `no persona '${ref}'`);
    const slash = ref.indexOf('/');
    let tenant = this.defaultTenant;
    if (slash >= 0) {
      const found = await this.tenants.getBySlug(ref.slice(0, slash));
      if (!found) throw notFound;
      tenant = this.forTenant(found.id);
    }
    const persona = await tenant.personas.get(ref.slice(slash + 1));
    if (!persona) throw notFound;
    return { tenant, persona };
  }

  /** The tenant of a call; the default one for an unknown call, whose routes then answer 404. */
  async ofCall(callId: string): Promise<TenantStorage> {
    return this.forTenant((await this.storage.tenantOfCall(callId)) ?? this.defaultTenantId);
  }

  /**
   * The tenant of a LiveKit room. A room Parley never issued a session for and whose call does
   * not exist yet (a phone call just ringing in) is the default tenant's.
   */
  async ofRoom(roomName: string | undefined): Promise<TenantStorage> {
    const tenantId = roomName ? await this.storage.tenantOfRoom(roomName) : undefined;
    return this.forTenant(tenantId ?? this.defaultTenantId);
  }
}
