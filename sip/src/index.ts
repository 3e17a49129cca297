export { SIP_DEFAULTS, sipBridgeYaml, type SipBridgeOptions } from './sip-config.js';
export { isAddressOrCidr, parseAllowedAddresses } from './allowed-addresses.js';
export {
  AGENT_NAME,
  NAME_PREFIX,
  ROOM_PREFIX,
  dispatchMetadata,
  objectName,
  toSipState,
  type InboundDispatchMetadata,
  type NumberAssignment,
  type ParleyRule,
  type ParleyTrunk,
  type SipState,
} from './number-objects.js';
export {
  describeAction,
  isRestricted,
  reconcile,
  ruleDrift,
  trunkDrift,
  type ReconcileAction,
  type ReconcileActionType,
  type ReconcileScope,
} from './reconcile.js';
export {
  PhoneProvisioner,
  type FailedAction,
  type PhoneProvisionerInit,
  type PhoneProvisionerOptions,
  type ProvisionedNumber,
  type SipApi,
  type SyncResult,
} from './phone-provisioner.js';
export { SipProvisioningError, sipUnavailable, type SipErrorCode } from './sip-errors.js';
