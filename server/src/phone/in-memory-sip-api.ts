/**
 * Test support: LiveKit's SIP provisioning API held in memory, for in-process suites that have no
 * livekit-server (the document-coverage run). Suites with the stack use the real one.
 */
import {
  SIPDispatchRule,
  SIPDispatchRuleIndividual,
  SIPDispatchRuleInfo,
  SIPInboundTrunkInfo,
  SIPTrunkInfo,
  ServerError,
} from 'livekit-server-sdk';
import type { SipApi } from '@parley/sip';

export class InMemorySipApi implements SipApi {
  readonly trunks = new Map<string, SIPInboundTrunkInfo>();
  readonly rules = new Map<string, SIPDispatchRuleInfo>();
  private next = 0;

  private id(prefix: string): string {
    this.next += 1;
    return `${prefix}_${this.next}`;
  }

  private missing(id: string): ServerError {
    return new ServerError('not_found', `no object ${id}`, 404, 'not_found');
  }

  listSipInboundTrunk: SipApi['listSipInboundTrunk'] = async () => [...this.trunks.values()];

  listSipDispatchRule: SipApi['listSipDispatchRule'] = async () => [...this.rules.values()];

  createSipInboundTrunk: SipApi['createSipInboundTrunk'] = async (name, numbers, opts = {}) => {
    const trunk = new SIPInboundTrunkInfo({
      sipTrunkId: this.id('ST'),
      name,
      numbers,
      metadata: opts.metadata ?? '',
      allowedAddresses: opts.allowedAddresses ?? [],
      authUsername: opts.authUsername ?? '',
      authPassword: opts.authPassword ?? '',
    });
    this.trunks.set(trunk.sipTrunkId, trunk);
    return trunk;
  };

  updateSipInboundTrunk: SipApi['updateSipInboundTrunk'] = async (id, trunk) => {
    if (!this.trunks.has(id)) throw this.missing(id);
    const updated = new SIPInboundTrunkInfo({ ...trunk, sipTrunkId: id });
    this.trunks.set(id, updated);
    return updated;
  };

  deleteSipTrunk: SipApi['deleteSipTrunk'] = async (id) => {
    if (!this.trunks.delete(id)) throw this.missing(id);
    return new SIPTrunkInfo({ sipTrunkId: id });
  };

  createSipDispatchRule: SipApi['createSipDispatchRule'] = async (rule, opts = {}) => {
    const info = new SIPDispatchRuleInfo({
      sipDispatchRuleId: this.id('SDR'),
      name: opts.name ?? '',
      metadata: opts.metadata ?? '',
      trunkIds: opts.trunkIds ?? [],
      ...(rule.type === 'individual' && {
        rule: new SIPDispatchRule({
          rule: {
            case: 'dispatchRuleIndividual',
            value: new SIPDispatchRuleIndividual({ roomPrefix: rule.roomPrefix }),
          },
        }),
      }),
      ...(opts.roomConfig && { roomConfig: opts.roomConfig }),
    });
    this.rules.set(info.sipDispatchRuleId, info);
    return info;
  };

  updateSipDispatchRule: SipApi['updateSipDispatchRule'] = async (id, rule) => {
    if (!this.rules.has(id)) throw this.missing(id);
    const updated = new SIPDispatchRuleInfo({ ...rule, sipDispatchRuleId: id });
    this.rules.set(id, updated);
    return updated;
  };

  deleteSipDispatchRule: SipApi['deleteSipDispatchRule'] = async (id) => {
    if (!this.rules.delete(id)) throw this.missing(id);
    return new SIPDispatchRuleInfo({ sipDispatchRuleId: id });
  };
}
