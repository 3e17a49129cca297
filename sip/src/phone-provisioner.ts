import {
  RoomAgentDispatch,
  RoomConfiguration,
  SIPDispatchRule,
  SIPDispatchRuleIndividual,
  SIPDispatchRuleInfo,
  SIPInboundTrunkInfo,
  ServerError,
  SipClient,
} from 'livekit-server-sdk';
import {
  AGENT_NAME,
  ROOM_PREFIX,
  dispatchMetadata,
  objectName,
  objectTag,
  toSipState,
  type NumberAssignment,
  type SipState,
} from './number-objects.js';
import { isRestricted, reconcile, type ReconcileAction, type ReconcileScope } from './reconcile.js';
import { isAddressOrCidr } from './allowed-addresses.js';
import { SipProvisioningError, sipUnavailable } from './sip-errors.js';

/** The part of LiveKit's `SipClient` provisioning uses. */
export type SipApi = Pick<
  SipClient,
  | 'listSipInboundTrunk'
  | 'listSipDispatchRule'
  | 'createSipInboundTrunk'
  | 'updateSipInboundTrunk'
  | 'deleteSipTrunk'
  | 'createSipDispatchRule'
  | 'updateSipDispatchRule'
  | 'deleteSipDispatchRule'
>;

export interface PhoneProvisionerOptions {
  /** livekit-server, `ws://` or `http://` (its HTTP API is on the same port). */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** Each request to LiveKit gives up after this long (an unreachable server fails fast). */
  requestTimeoutSeconds: number;
}

const DEFAULTS = { requestTimeoutSeconds: 5 } satisfies Partial<PhoneProvisionerOptions>;

export type PhoneProvisionerInit = Omit<PhoneProvisionerOptions, keyof typeof DEFAULTS> &
  Partial<PhoneProvisionerOptions>;

/** LiveKit's ids for one provisioned number. */
export interface ProvisionedNumber {
  e164: string;
  trunkId: string;
  dispatchRuleId: string;
}

export interface FailedAction {
  action: ReconcileAction;
  error: SipProvisioningError;
}

export interface SyncResult {
  /** The repairs made, in order. */
  applied: ReconcileAction[];
  /** Repairs that failed; later repairs of the same number were not attempted. */
  failed: FailedAction[];
  /** The trunk and rule each assigned, restricted number has now. */
  numbers: ProvisionedNumber[];
  /** Rules not Parley's that name no trunk (they admit callers no restricted trunk matched). */
  openForeignRules: string[];
}

/**
 * Keeps LiveKit's inbound trunks and dispatch rules in line with the numbers Parley assigned:
 * one restricted trunk and one individual rule naming it per number, dispatching agent `parley`.
 */
export class PhoneProvisioner {
  private readonly client: SipApi;

  /** LiveKit's address and keys (`requestTimeoutSeconds` defaults to 5), or a ready client. */
  constructor(options: PhoneProvisionerInit | { client: SipApi }) {
    if ('client' in options) {
      this.client = options.client;
      return;
    }
    const { url, apiKey, apiSecret, requestTimeoutSeconds } = { ...DEFAULTS, ...options };
    if (!/^(ws|http)s?:\/\//.test(url)) {
      throw new TypeError(`url must be ws(s):// or http(s)://, got "${url}"`);
    }
    this.client = new SipClient(url.replace(/^ws/, 'http'), apiKey, apiSecret, {
      requestTimeout: requestTimeoutSeconds,
    });
  }

  /** Parley's trunks and rules as LiveKit holds them now. */
  async readState(): Promise<SipState> {
    try {
      const [trunks, rules] = await Promise.all([
        this.client.listSipInboundTrunk(),
        this.client.listSipDispatchRule(),
      ]);
      return toSipState(trunks, rules);
    } catch (err) {
      throw sipUnavailable('list trunks and dispatch rules', err);
    }
  }

  /**
   * Reads LiveKit's state, plans the repairs (see `reconcile`) and applies them. A failed repair
   * is reported, not thrown: the other numbers are still repaired.
   */
  async sync(
    desired: readonly NumberAssignment[],
    scope: ReconcileScope = {},
  ): Promise<SyncResult> {
    const state = await this.readState();
    const actions = reconcile(desired, state, scope);
    const result: SyncResult = {
      applied: [],
      failed: [],
      numbers: [],
      openForeignRules: state.openForeignRules,
    };
    const deleted = new Set(
      actions.flatMap((a) =>
        a.type === 'delete-trunk' ? [a.trunkId] : a.type === 'delete-rule' ? [a.ruleId] : [],
      ),
    );
    const wanted = new Map(desired.map((d) => [d.e164, d]));
    // The trunk and rule each number keeps: the stored one if LiveKit still has it, else the first.
    const trunkOf = new Map<string, string>();
    const ruleOf = new Map<string, string>();
    for (const want of wanted.values()) {
      const trunks = state.trunks.filter((t) => t.e164 === want.e164 && !deleted.has(t.trunkId));
      const rules = state.rules.filter((r) => r.e164 === want.e164 && !deleted.has(r.ruleId));
      const trunk = trunks.find((t) => t.trunkId === want.trunkId) ?? trunks[0];
      const rule = rules.find((r) => r.ruleId === want.dispatchRuleId) ?? rules[0];
      if (trunk) trunkOf.set(want.e164, trunk.trunkId);
      if (rule) ruleOf.set(want.e164, rule.ruleId);
    }
    const broken = new Set<string>();
    for (const action of actions) {
      if (broken.has(action.e164)) continue;
      try {
        await this.apply(action, wanted.get(action.e164), trunkOf, ruleOf);
        result.applied.push(action);
      } catch (err) {
        broken.add(action.e164);
        result.failed.push({ action, error: sipUnavailable(action.type.replace('-', ' a '), err) });
      }
    }
    for (const want of wanted.values()) {
      const trunkId = trunkOf.get(want.e164);
      const dispatchRuleId = ruleOf.get(want.e164);
      if (!broken.has(want.e164) && isRestricted(want) && trunkId && dispatchRuleId) {
        result.numbers.push({ e164: want.e164, trunkId, dispatchRuleId });
      }
    }
    return result;
  }

  /**
   * Makes LiveKit hold exactly the number's trunk and rule. Refuses (`unrestricted_trunk`) a
   * number with neither allowed addresses nor digest credentials, and (`invalid_address`) an
   * address that is not an IP or CIDR; any LiveKit failure is `sip_unavailable`.
   */
  async provision(
    assignment: NumberAssignment,
  ): Promise<{ provisioned: ProvisionedNumber; applied: ReconcileAction[] }> {
    const bad = assignment.allowedAddresses.filter((a) => !isAddressOrCidr(a));
    if (bad.length > 0) {
      throw new SipProvisioningError(
        'invalid_address',
        `allowedAddresses: not an IP address or CIDR: ${bad.map((a) => `"${a}"`).join(', ')}`,
      );
    }
    if (!isRestricted(assignment)) {
      throw new SipProvisioningError(
        'unrestricted_trunk',
        `${assignment.e164} needs allowed addresses or digest credentials (username and password): a trunk without either accepts calls from anyone`,
      );
    }
    const result = await this.sync([assignment], { numbers: [assignment.e164] });
    const [failure] = result.failed;
    if (failure) throw failure.error;
    const [provisioned] = result.numbers;
    if (!provisioned) {
      throw new SipProvisioningError(
        'sip_unavailable',
        `${assignment.e164} was not provisioned`,
        true,
      );
    }
    return { provisioned, applied: result.applied };
  }

  /** Deletes the number's trunk and rule (whatever LiveKit holds of Parley's for it). */
  async deprovision(e164: string): Promise<ReconcileAction[]> {
    const result = await this.sync([], { numbers: [e164] });
    const [failure] = result.failed;
    if (failure) throw failure.error;
    return result.applied;
  }

  private async apply(
    action: ReconcileAction,
    want: NumberAssignment | undefined,
    trunkOf: Map<string, string>,
    ruleOf: Map<string, string>,
  ): Promise<void> {
    switch (action.type) {
      case 'delete-rule':
        await ignoreNotFound(this.client.deleteSipDispatchRule(action.ruleId));
        return;
      case 'delete-trunk':
        await ignoreNotFound(this.client.deleteSipTrunk(action.trunkId));
        return;
    }
    if (!want) throw new Error(`no assignment for ${action.e164}`);
    switch (action.type) {
      case 'create-trunk': {
        const trunk = await this.client.createSipInboundTrunk(objectName(want.e164), [want.e164], {
          metadata: objectTag(want),
          allowedAddresses: [...want.allowedAddresses],
          ...(want.authUsername && { authUsername: want.authUsername }),
          ...(want.authPassword && { authPassword: want.authPassword }),
        });
        trunkOf.set(want.e164, trunk.sipTrunkId);
        return;
      }
      case 'update-trunk':
        await this.client.updateSipInboundTrunk(
          action.trunkId,
          new SIPInboundTrunkInfo({
            sipTrunkId: action.trunkId,
            name: objectName(want.e164),
            metadata: objectTag(want),
            numbers: [want.e164],
            allowedAddresses: [...want.allowedAddresses],
            authUsername: want.authUsername ?? '',
            authPassword: want.authPassword ?? '',
          }),
        );
        return;
      case 'create-rule': {
        const trunkIds = [requireTrunk(trunkOf, want.e164)];
        const rule = await this.client.createSipDispatchRule(
          { type: 'individual', roomPrefix: ROOM_PREFIX },
          {
            name: objectName(want.e164),
            metadata: objectTag(want),
            trunkIds,
            roomConfig: roomConfig(want),
          },
        );
        ruleOf.set(want.e164, rule.sipDispatchRuleId);
        return;
      }
      case 'update-rule':
        await this.client.updateSipDispatchRule(
          action.ruleId,
          new SIPDispatchRuleInfo({
            sipDispatchRuleId: action.ruleId,
            name: objectName(want.e164),
            metadata: objectTag(want),
            trunkIds: [requireTrunk(trunkOf, want.e164)],
            rule: new SIPDispatchRule({
              rule: {
                case: 'dispatchRuleIndividual',
                value: new SIPDispatchRuleIndividual({ roomPrefix: ROOM_PREFIX }),
              },
            }),
            roomConfig: roomConfig(want),
          }),
        );
        return;
    }
  }
}

function roomConfig(want: NumberAssignment): RoomConfiguration {
  return new RoomConfiguration({
    agents: [
      new RoomAgentDispatch({
        agentName: AGENT_NAME,
        metadata: JSON.stringify(dispatchMetadata(want)),
      }),
    ],
  });
}

/** A rule without trunks admits callers no restricted trunk matched: never create one. */
function requireTrunk(trunkOf: Map<string, string>, e164: string): string {
  const trunkId = trunkOf.get(e164);
  if (!trunkId) throw new Error(`refusing a dispatch rule for ${e164} without its trunk`);
  return trunkId;
}

/** Deleting what is already gone is done. */
async function ignoreNotFound(request: Promise<unknown>): Promise<void> {
  try {
    await request;
  } catch (err) {
    if (err instanceof ServerError && (err.status === 404 || err.code === 'not_found')) return;
    throw err;
  }
}
