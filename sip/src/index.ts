export { SIP_DEFAULTS, sipBridgeYaml, type SipBridgeOptions } from './sip-config.js';
