import {
  AGENT_NAME,
  ROOM_PREFIX,
  dispatchMetadata,
  type NumberAssignment,
  type ParleyRule,
  type ParleyTrunk,
  type SipState,
} from './number-objects.js';

/** One repair that brings LiveKit's trunks and rules in line with the numbers Parley assigned. */
export type ReconcileAction =
  | { type: 'create-trunk'; e164: string; reason: string }
  | { type: 'update-trunk'; e164: string; trunkId: string; reason: string }
  | { type: 'delete-trunk'; e164: string; trunkId: string; reason: string }
  | { type: 'create-rule'; e164: string; reason: string }
  | { type: 'update-rule'; e164: string; ruleId: string; reason: string }
  | { type: 'delete-rule'; e164: string; ruleId: string; reason: string };

export type ReconcileActionType = ReconcileAction['type'];

/** Rules go before the trunks they name, deletions before creations. */
const ORDER: readonly ReconcileActionType[] = [
  'delete-rule',
  'delete-trunk',
  'create-trunk',
  'update-trunk',
  'create-rule',
  'update-rule',
];

/** A trunk that names no address and no credentials accepts calls from anyone. */
export function isRestricted(assignment: NumberAssignment): boolean {
  const digest = Boolean(assignment.authUsername) && Boolean(assignment.authPassword);
  return assignment.allowedAddresses.length > 0 || digest;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = [...new Set(a)].sort();
  const right = [...new Set(b)].sort();
  return left.length === right.length && left.every((v, i) => v === right[i]);
}

function pick<T>(
  items: T[],
  id: (item: T) => string,
  preferred: string | undefined,
): T | undefined {
  return items.find((i) => preferred !== undefined && id(i) === preferred) ?? items[0];
}

/** Why a trunk is not what the assignment needs; empty when it is. */
export function trunkDrift(want: NumberAssignment, trunk: ParleyTrunk): string[] {
  const drift: string[] = [];
  if (!sameSet(trunk.numbers, [want.e164])) {
    drift.push(`it answers [${trunk.numbers.join(', ')}], not only ${want.e164}`);
  }
  if (!sameSet(trunk.allowedAddresses, want.allowedAddresses)) {
    drift.push(
      `it allows [${trunk.allowedAddresses.join(', ')}], not [${want.allowedAddresses.join(', ')}]`,
    );
  }
  if (trunk.authUsername !== (want.authUsername ?? '')) drift.push('its digest username differs');
  // LiveKit may not answer the password back: an empty one proves nothing either way.
  if (trunk.authPassword !== '' && trunk.authPassword !== (want.authPassword ?? '')) {
    drift.push('its digest password differs');
  }
  return drift;
}

/** Why a rule is not what the assignment needs (given the trunk it must name); empty when it is. */
export function ruleDrift(
  want: NumberAssignment,
  rule: ParleyRule,
  trunkId: string | undefined,
): string[] {
  const drift: string[] = [];
  if (rule.trunkIds.length === 0) {
    drift.push('it names no trunk, so it admits callers no restricted trunk matched');
  } else if (trunkId === undefined || !sameSet(rule.trunkIds, [trunkId])) {
    drift.push(`it names trunks [${rule.trunkIds.join(', ')}], not the number's own`);
  }
  if (rule.individualPrefix !== ROOM_PREFIX) {
    drift.push(`it is not an individual rule with room prefix '${ROOM_PREFIX}'`);
  }
  const [agent, ...more] = rule.agents;
  const expected = dispatchMetadata(want);
  if (!agent || more.length > 0 || agent.agentName !== AGENT_NAME) {
    drift.push(`it does not dispatch exactly the agent '${AGENT_NAME}'`);
  } else {
    const actual = parseMetadata(agent.metadata);
    if (actual.personaId !== expected.personaId) {
      drift.push(`it dispatches persona '${actual.personaId ?? '?'}', not '${expected.personaId}'`);
    }
    if (actual.tenantId !== expected.tenantId) {
      drift.push(
        `it dispatches for tenant '${actual.tenantId ?? '?'}', not '${expected.tenantId}'`,
      );
    }
    if (actual.channel !== 'phone' || actual.direction !== 'inbound') {
      drift.push("its dispatch metadata is not channel 'phone', direction 'inbound'");
    }
  }
  return drift;
}

function parseMetadata(metadata: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(metadata);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export interface ReconcileScope {
  /** Only these numbers' objects are considered (one number's provisioning); all otherwise. */
  numbers?: readonly string[];
}

/**
 * The repairs that make LiveKit hold exactly one restricted trunk and one individual rule naming
 * it for each assigned number, and nothing of Parley's for any other number: missing objects are
 * created, drifted ones updated, duplicates and stale ones deleted. A number that would need an
 * unrestricted trunk gets none (its objects are deleted): refusing its callers is the safe side.
 * Pure: `actual` is what `SipState` read from LiveKit.
 */
export function reconcile(
  desired: readonly NumberAssignment[],
  actual: SipState,
  scope: ReconcileScope = {},
): ReconcileAction[] {
  const inScope = (e164: string) => scope.numbers === undefined || scope.numbers.includes(e164);
  const actions: ReconcileAction[] = [];
  const wanted = new Map<string, NumberAssignment>();
  for (const want of desired) if (inScope(want.e164)) wanted.set(want.e164, want);

  for (const trunk of actual.trunks) {
    if (!inScope(trunk.e164)) continue;
    const want = wanted.get(trunk.e164);
    if (!want) {
      actions.push({
        type: 'delete-trunk',
        e164: trunk.e164,
        trunkId: trunk.trunkId,
        reason: 'the number is no longer assigned',
      });
    } else if (!isRestricted(want)) {
      actions.push({
        type: 'delete-trunk',
        e164: trunk.e164,
        trunkId: trunk.trunkId,
        reason: 'the number has neither allowed addresses nor credentials',
      });
    }
  }
  for (const rule of actual.rules) {
    if (!inScope(rule.e164)) continue;
    const want = wanted.get(rule.e164);
    if (!want || !isRestricted(want)) {
      actions.push({
        type: 'delete-rule',
        e164: rule.e164,
        ruleId: rule.ruleId,
        reason: want
          ? 'the number has neither allowed addresses nor credentials'
          : 'the number is no longer assigned',
      });
    }
  }

  for (const want of wanted.values()) {
    if (!isRestricted(want)) continue;
    const { e164 } = want;
    const trunks = actual.trunks.filter((t) => t.e164 === e164);
    const trunk = pick(trunks, (t) => t.trunkId, want.trunkId);
    for (const extra of trunks) {
      if (extra === trunk) continue;
      actions.push({ type: 'delete-trunk', e164, trunkId: extra.trunkId, reason: 'a duplicate' });
    }
    if (!trunk) {
      actions.push({ type: 'create-trunk', e164, reason: 'the trunk was missing' });
    } else {
      const drift = trunkDrift(want, trunk);
      if (drift.length > 0) {
        actions.push({
          type: 'update-trunk',
          e164,
          trunkId: trunk.trunkId,
          reason: drift.join('; '),
        });
      }
    }

    const rules = actual.rules.filter((r) => r.e164 === e164);
    const rule = pick(rules, (r) => r.ruleId, want.dispatchRuleId);
    for (const extra of rules) {
      if (extra === rule) continue;
      actions.push({ type: 'delete-rule', e164, ruleId: extra.ruleId, reason: 'a duplicate' });
    }
    if (!rule) {
      actions.push({ type: 'create-rule', e164, reason: 'the dispatch rule was missing' });
    } else {
      const drift = ruleDrift(want, rule, trunk?.trunkId);
      if (drift.length > 0) {
        actions.push({ type: 'update-rule', e164, ruleId: rule.ruleId, reason: drift.join('; ') });
      }
    }
  }

  return actions.sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
}

/** One line for the log: `created the dispatch rule of +14155550123 (the dispatch rule was missing)`. */
export function describeAction(action: ReconcileAction): string {
  const [verb, object] = action.type.split('-') as [string, 'trunk' | 'rule'];
  const past = { create: 'created', update: 'updated', delete: 'deleted' }[verb] ?? verb;
  const what = object === 'trunk' ? 'inbound trunk' : 'dispatch rule';
  const id =
    'trunkId' in action ? ` ${action.trunkId}` : 'ruleId' in action ? ` ${action.ruleId}` : '';
  return `${past} the ${what}${id} of ${action.e164} (${action.reason})`;
}
