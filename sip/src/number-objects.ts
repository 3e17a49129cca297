import type { SIPDispatchRuleInfo, SIPInboundTrunkInfo } from 'livekit-server-sdk';

/**
 * The LiveKit objects Parley keeps for one phone number, and how Parley recognises its own among
 * whatever else an operator created: both are named `parley:<e164>`.
 */

export const NAME_PREFIX = 'parley:';
export const AGENT_NAME = 'parley';
/** Individual rules put each caller in a fresh room `phone-_<caller>_<random>`. */
export const ROOM_PREFIX = 'phone-';

/** What the database says one number should be: who answers it and who may reach it. */
export interface NumberAssignment {
  e164: string;
  tenantId: string;
  personaId: string;
  /** The carrier addresses (IPs or CIDRs) applied to the trunk: the number's own or the default. */
  allowedAddresses: readonly string[];
  authUsername?: string;
  authPassword?: string;
  /** The ids stored from the last provisioning: kept when LiveKit holds duplicates. */
  trunkId?: string;
  dispatchRuleId?: string;
}

/** The agent job metadata an inbound call to the number starts (`DispatchMetadata`). */
export interface InboundDispatchMetadata {
  personaId: string;
  tenantId?: string;
  channel: 'phone';
  direction: 'inbound';
}

/** What tags a trunk or rule as Parley's, beside its name. */
export interface ObjectTag {
  parley: true;
  tenantId: string;
  e164: string;
}

/** One of Parley's inbound trunks, as LiveKit holds it. */
export interface ParleyTrunk {
  trunkId: string;
  e164: string;
  numbers: string[];
  allowedAddresses: string[];
  authUsername: string;
  /** Empty when LiveKit does not answer it. */
  authPassword: string;
}

/** One of Parley's dispatch rules, as LiveKit holds it. */
export interface ParleyRule {
  ruleId: string;
  e164: string;
  trunkIds: string[];
  /** `individual` with Parley's prefix is the only shape Parley creates. */
  individualPrefix?: string;
  agents: { agentName: string; metadata: string }[];
}

/** Parley's trunks and rules on LiveKit, and what else there concerns safety. */
export interface SipState {
  trunks: ParleyTrunk[];
  rules: ParleyRule[];
  /** Rules not Parley's that name no trunk: they admit callers no restricted trunk matched. */
  openForeignRules: string[];
}

export function objectName(e164: string): string {
  return `${NAME_PREFIX}${e164}`;
}

export function objectTag(assignment: NumberAssignment): string {
  const tag: ObjectTag = { parley: true, tenantId: assignment.tenantId, e164: assignment.e164 };
  return JSON.stringify(tag);
}

export function dispatchMetadata(assignment: NumberAssignment): InboundDispatchMetadata {
  return {
    personaId: assignment.personaId,
    tenantId: assignment.tenantId,
    channel: 'phone',
    direction: 'inbound',
  };
}

/** The number a Parley object is for, from its name; nothing for an object not Parley's. */
export function numberOfName(name: string): string | undefined {
  return name.startsWith(NAME_PREFIX) ? name.slice(NAME_PREFIX.length) : undefined;
}

export function toParleyTrunk(info: SIPInboundTrunkInfo): ParleyTrunk | undefined {
  const e164 = numberOfName(info.name);
  if (e164 === undefined) return undefined;
  return {
    trunkId: info.sipTrunkId,
    e164,
    numbers: [...info.numbers],
    allowedAddresses: [...info.allowedAddresses],
    authUsername: info.authUsername,
    authPassword: info.authPassword,
  };
}

export function toParleyRule(info: SIPDispatchRuleInfo): ParleyRule | undefined {
  const e164 = numberOfName(info.name);
  if (e164 === undefined) return undefined;
  const rule = info.rule?.rule;
  return {
    ruleId: info.sipDispatchRuleId,
    e164,
    trunkIds: [...info.trunkIds],
    ...(rule?.case === 'dispatchRuleIndividual' && { individualPrefix: rule.value.roomPrefix }),
    agents: (info.roomConfig?.agents ?? []).map((a) => ({
      agentName: a.agentName,
      metadata: a.metadata,
    })),
  };
}

/** Reads LiveKit's trunks and rules, keeping Parley's and noting foreign rules without trunks. */
export function toSipState(
  trunks: readonly SIPInboundTrunkInfo[],
  rules: readonly SIPDispatchRuleInfo[],
): SipState {
  const state: SipState = { trunks: [], rules: [], openForeignRules: [] };
  for (const info of trunks) {
    const trunk = toParleyTrunk(info);
    if (trunk) state.trunks.push(trunk);
  }
  for (const info of rules) {
    const rule = toParleyRule(info);
    if (rule) state.rules.push(rule);
    else if (info.trunkIds.length === 0) state.openForeignRules.push(info.sipDispatchRuleId);
  }
  return state;
}
