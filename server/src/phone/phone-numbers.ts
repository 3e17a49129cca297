import {
  SipProvisioningError,
  describeAction,
  isAddressOrCidr,
  isRestricted,
  type NumberAssignment,
  type PhoneProvisioner,
  type ReconcileAction,
} from '@parley/sip';
import { AssignPhoneNumberRequestSchema, E164Schema, type PhoneNumber } from '@parley/contracts';
import type { Database } from '../storage/database.js';
import type { TenantStorage } from '../storage/index.js';
import { SecretRepo } from '../tenants/secret-repo.js';
import type { SecretCipher } from '../tenants/secret-cipher.js';
import {
  PhoneNumberRepo,
  allPhoneNumbers,
  type PhoneNumberAccess,
  type StoredPhoneNumber,
} from './phone-number-repo.js';
import {
  DomainError,
  NotFoundError,
  ConflictError,
  InvalidInputError,
  parseInput,
} from '../domain-errors.js';

export interface PhoneNumbersOptions {
  db: Database;
  /** Opens the numbers' digest passwords, stored sealed as tenant secrets (`Storage.secretCipher`). */
  secretCipher: SecretCipher;
  /**
   * LiveKit's SIP side. Without it (tests without LiveKit) numbers are only stored: no trunk
   * exists that could be unrestricted, so access is not required either.
   */
  provisioner?: PhoneProvisioner;
  /** `PARLEY_SIP_ALLOWED_ADDRESSES`: the carrier addresses of a number that names none. */
  defaultAllowedAddresses: readonly string[];
  log?: (line: string) => void;
}

/** What one reconciliation repaired, for the log and the operator route. */
export interface ReconcileReport {
  /** Assigned numbers considered. */
  numbers: number;
  repaired: string[];
  failed: string[];
  /** Rules not Parley's that name no trunk: they admit callers no restricted trunk matched. */
  openForeignRules: string[];
}

/** The tenant secret holding a number's digest password. */
export function authSecretName(e164: string): string {
  return `SIP_INBOUND_${e164.slice(1)}`;
}

function domainErrorOf(err: unknown): unknown {
  if (!(err instanceof SipProvisioningError)) return err;
  if (err.code === 'invalid_address') return new InvalidInputError(err.message);
  return new DomainError(err.code, err.message);
}

/** The operator may have deleted the password's secret by hand already. */
async function removeIfThere(secrets: SecretRepo, name: string): Promise<void> {
  try {
    await secrets.remove(name);
  } catch (err) {
    if (!(err instanceof DomainError && err.code === 'not_found')) throw err;
  }
}

/**
 * Numbers routed to personas, kept in step with LiveKit: assigning provisions the number's
 * restricted trunk and dispatch rule before anything is stored, removing deletes them, and
 * `reconcile` repairs LiveKit against every tenant's numbers.
 */
export class PhoneNumbers {
  private readonly db: Database;
  private readonly secretCipher: SecretCipher;
  private readonly provisioner: PhoneProvisioner | undefined;
  private readonly defaults: readonly string[];
  private readonly log: (line: string) => void;

  constructor(options: PhoneNumbersOptions) {
    this.db = options.db;
    this.secretCipher = options.secretCipher;
    this.provisioner = options.provisioner;
    this.defaults = options.defaultAllowedAddresses;
    this.log = options.log ?? (() => undefined);
  }

  async list(tenant: TenantStorage): Promise<PhoneNumber[]> {
    return (await tenant.phoneNumbers.listStored()).map((s) => this.answer(s));
  }

  async get(tenant: TenantStorage, e164: string): Promise<PhoneNumber> {
    const stored = await tenant.phoneNumbers.getStored(parseInput(E164Schema, e164));
    if (!stored) throw new NotFoundError('not_found', `no phone number ${e164}`);
    return this.answer(stored);
  }

  /**
   * Adds the number or re-points it, provisioning LiveKit first: if LiveKit refuses or cannot be
   * reached nothing is stored; if storing fails, LiveKit is put back as it was.
   */
  async assign(tenant: TenantStorage, e164: string, body: unknown): Promise<PhoneNumber> {
    const number = parseInput(E164Schema, e164);
    const request = parseInput(AssignPhoneNumberRequestSchema, body);
    if (request.authPassword !== undefined && request.authUsername === undefined) {
      throw new InvalidInputError('authPassword needs authUsername');
    }
    if (!(await tenant.personas.get(request.personaId))) {
      throw new NotFoundError('persona_not_found', `no persona '${request.personaId}'`);
    }
    if (await tenant.phoneNumbers.takenElsewhere(number)) {
      throw new ConflictError(`${number} is already in use`);
    }
    const previous = await tenant.phoneNumbers.getStored(number);
    // A password is never answered, so a client re-sending the rest keeps the stored one.
    const keptPassword =
      request.authPassword === undefined &&
      request.authUsername !== undefined &&
      previous?.authUsername === request.authUsername &&
      previous.authSecret !== undefined
        ? await tenant.secrets.reveal(previous.authSecret)
        : undefined;
    const password = request.authPassword ?? keptPassword;
    if (request.authUsername !== undefined && password === undefined) {
      throw new InvalidInputError(`authUsername needs authPassword: ${number} has none stored`);
    }
    const own = request.allowedAddresses ?? [];
    const bad = own.filter((a) => !isAddressOrCidr(a));
    if (bad.length > 0) {
      throw new InvalidInputError(
        `allowedAddresses: not an IP address or CIDR: ${bad.map((a) => `"${a}"`).join(', ')}`,
      );
    }
    const assignment: NumberAssignment = {
      e164: number,
      tenantId: tenant.tenantId,
      personaId: request.personaId,
      allowedAddresses: own.length > 0 ? own : this.defaults,
      ...(request.authUsername !== undefined && password !== undefined
        ? { authUsername: request.authUsername, authPassword: password }
        : {}),
      ...(previous?.trunkId && { trunkId: previous.trunkId }),
      ...(previous?.dispatchRuleId && { dispatchRuleId: previous.dispatchRuleId }),
    };
    if (this.provisioner && !isRestricted(assignment)) {
      throw new DomainError(
        'unrestricted_trunk',
        `${number} needs allowedAddresses (or PARLEY_SIP_ALLOWED_ADDRESSES on the server) or authUsername and authPassword: a trunk without either accepts calls from anyone`,
      );
    }
    let ids: Pick<PhoneNumberAccess, 'trunkId' | 'dispatchRuleId'> = {};
    if (this.provisioner) {
      try {
        const { provisioned, applied } = await this.provisioner.provision(assignment);
        ids = { trunkId: provisioned.trunkId, dispatchRuleId: provisioned.dispatchRuleId };
        for (const action of applied) this.log(`phone: provisioned ${describeAction(action)}`);
      } catch (err) {
        // A repair may have gone through before the failure: put back what is stored.
        await this.restore(tenant, number, previous);
        throw domainErrorOf(err);
      }
    }
    const secretName = authSecretName(number);
    try {
      return await this.db.transaction(async (tx) => {
        const secrets = new SecretRepo(tx, tenant.tenantId, this.secretCipher);
        if (assignment.authPassword !== undefined) {
          await secrets.put(secretName, assignment.authPassword);
        } else if (previous?.authSecret !== undefined) {
          await removeIfThere(secrets, previous.authSecret);
        }
        const repo = new PhoneNumberRepo(tx, tenant.tenantId);
        await repo.assign(
          { e164: number, personaId: request.personaId, label: request.label },
          {
            allowedAddresses: own,
            ...(assignment.authUsername !== undefined && {
              authUsername: assignment.authUsername,
              authSecret: secretName,
            }),
            ...ids,
          },
        );
        const stored = await repo.getStored(number);
        if (!stored) throw new Error(`${number} vanished while being assigned`);
        return this.answer(stored);
      });
    } catch (err) {
      await this.restore(tenant, number, previous);
      throw err;
    }
  }

  /** Deletes the number's trunk and rule, then the number; LiveKit unreachable changes nothing. */
  async remove(tenant: TenantStorage, e164: string): Promise<void> {
    const number = parseInput(E164Schema, e164);
    const stored = await tenant.phoneNumbers.getStored(number);
    if (!stored) throw new NotFoundError('not_found', `no phone number ${number}`);
    if (this.provisioner) {
      try {
        const applied = await this.provisioner.deprovision(number);
        for (const action of applied) this.log(`phone: deprovisioned ${describeAction(action)}`);
      } catch (err) {
        throw domainErrorOf(err);
      }
    }
    try {
      await this.db.transaction(async (tx) => {
        await new PhoneNumberRepo(tx, tenant.tenantId).remove(number);
        if (stored.authSecret !== undefined) {
          await removeIfThere(
            new SecretRepo(tx, tenant.tenantId, this.secretCipher),
            stored.authSecret,
          );
        }
      });
    } catch (err) {
      await this.restore(tenant, number, stored);
      throw err;
    }
  }

  /**
   * Brings LiveKit in line with every tenant's numbers: missing trunks and rules are created,
   * drifted ones updated, stale ones deleted; new ids are stored. Each repair is logged.
   */
  async reconcile(): Promise<ReconcileReport> {
    const provisioner = this.requireProvisioner();
    const stored = await allPhoneNumbers(this.db);
    const desired = await Promise.all(stored.map((s) => this.assignmentOf(s)));
    let result;
    try {
      result = await provisioner.sync(desired);
    } catch (err) {
      throw domainErrorOf(err);
    }
    for (const [i, before] of stored.entries()) {
      const provisioned = result.numbers.find((n) => n.e164 === before.number.e164);
      const want = desired[i];
      // An unrestricted number lost its objects: it must not show ids LiveKit no longer has.
      const ids = provisioned ?? (want && !isRestricted(want) ? undefined : 'unchanged');
      if (ids === 'unchanged') continue;
      if (before.trunkId === ids?.trunkId && before.dispatchRuleId === ids?.dispatchRuleId)
        continue;
      await new PhoneNumberRepo(this.db, before.number.tenantId).setProvisioning(
        before.number.e164,
        ids?.trunkId ?? null,
        ids?.dispatchRuleId ?? null,
      );
    }
    const report: ReconcileReport = {
      numbers: stored.length,
      repaired: result.applied.map(describeAction),
      failed: result.failed.map((f) => `${describeAction(f.action)}: ${f.error.message}`),
      openForeignRules: result.openForeignRules,
    };
    for (const line of report.repaired) this.log(`phone: reconciled ${line}`);
    for (const line of report.failed) this.log(`phone: could not reconcile: ${line}`);
    for (const ruleId of report.openForeignRules) {
      this.log(
        `phone: dispatch rule ${ruleId} (not Parley's) names no trunk: it admits callers no restricted trunk matched`,
      );
    }
    for (const want of desired.filter((d) => !isRestricted(d))) {
      this.log(`phone: ${want.e164} has neither allowed addresses nor credentials: not routed`);
    }
    return report;
  }

  private requireProvisioner(): PhoneProvisioner {
    if (!this.provisioner)
      throw new DomainError('sip_unavailable', 'no SIP provisioning configured');
    return this.provisioner;
  }

  private async assignmentOf(stored: StoredPhoneNumber): Promise<NumberAssignment> {
    const { number } = stored;
    const password =
      stored.authSecret === undefined
        ? undefined
        : await new SecretRepo(this.db, number.tenantId, this.secretCipher).reveal(
            stored.authSecret,
          );
    return {
      e164: number.e164,
      tenantId: number.tenantId,
      personaId: number.personaId,
      allowedAddresses:
        stored.allowedAddresses.length > 0 ? stored.allowedAddresses : this.defaults,
      ...(stored.authUsername !== undefined &&
        password !== undefined && { authUsername: stored.authUsername, authPassword: password }),
      ...(stored.trunkId !== undefined && { trunkId: stored.trunkId }),
      ...(stored.dispatchRuleId !== undefined && { dispatchRuleId: stored.dispatchRuleId }),
    };
  }

  /** After a failed store: LiveKit back to what the database still says (best effort, logged). */
  private async restore(
    tenant: TenantStorage,
    e164: string,
    previous: StoredPhoneNumber | undefined,
  ): Promise<void> {
    if (!this.provisioner) return;
    try {
      const actions: ReconcileAction[] = previous
        ? (await this.provisioner.provision(await this.assignmentOf(previous))).applied
        : await this.provisioner.deprovision(e164);
      for (const action of actions) this.log(`phone: restored ${describeAction(action)}`);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.log(
        `phone: could not restore LiveKit for ${e164} of tenant ${tenant.tenantId} (${reason}); the next reconciliation will`,
      );
    }
  }

  /** The API's view: the number, and LiveKit's objects with the addresses in force. */
  private answer(stored: StoredPhoneNumber): PhoneNumber {
    const { number } = stored;
    if (stored.trunkId === undefined || stored.dispatchRuleId === undefined) return number;
    return {
      ...number,
      provisioning: {
        trunkId: stored.trunkId,
        dispatchRuleId: stored.dispatchRuleId,
        allowedAddresses:
          stored.allowedAddresses.length > 0 ? stored.allowedAddresses : [...this.defaults],
        authRequired: stored.authUsername !== undefined,
      },
    };
  }
}
