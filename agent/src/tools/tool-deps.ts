import type { llm } from '@livekit/agents';
import type { CallOutcome, LeadTemperature, Persona } from '@parley/contracts';

/** What the tools may do to the call; the worker implements it over its `AgentSession`. */
export interface CallControls {
  /** Speaks a line (not added to the chat history); resolves once it has been played out. */
  say(text: string): Promise<void>;
  /** Ends the call after the current speech, recording `outcome`. */
  end(outcome: CallOutcome, reason: string): Promise<void>;
  /**
   * The outcome recorded if the call closes before an `end` decides another, or ends for silence
   * (a caller whose phone followed a SIP REFER leaves the room, or stays on hold and silent);
   * undefined withdraws it. With `until: 'caller-speaks'` the caller's next words withdraw it:
   * they are still on the line.
   */
  expectOutcome(outcome: CallOutcome | undefined, until?: 'caller-speaks'): void;
  /**
   * While held, the silence watch neither reprompts nor hangs up: during a SIP transfer the line
   * is livekit-sip's (it mutes the agent and plays a ringback), so nothing said would be heard.
   */
  holdSilence(held: boolean): void;
  /** Notes a captured lead's temperature; the hottest one is recorded when the call closes. */
  noteLead(temperature: LeadTemperature): void;
}

/** LiveKit RPC to the visitor's page (the widget's `registerTool` handlers). */
export interface ClientRpc {
  /**
   * Calls `method` on the page with `payload`; answers the page's response. Throws the
   * `RpcError` LiveKit gives (unsupported method, timeout, application error, …).
   */
  call(method: string, payload: string, timeoutMs: number): Promise<string>;
}

/** Everything the tools of one call need. */
export interface ToolDeps {
  persona: Persona;
  channel: 'web' | 'phone';
  /** The server's internal API, with the agent's service credential (Bearer). */
  server: { serverUrl: string; agentKey: string };
  /** Resolves once the call record exists on the server. */
  callId(): Promise<string>;
  controls: CallControls;
  rpc: ClientRpc;
  /** Transfers the phone caller (SIP REFER); undefined on web calls. */
  sipTransfer?: (target: string) => Promise<void>;
  /**
   * Rings the persona's transfer target, briefs them and connects them with the caller
   * (src/phone/warm-transfer.ts); undefined when the persona has no target.
   */
  warmTransfer?: (reason: string) => Promise<'connected' | 'no_answer' | 'busy' | 'failed'>;
}

/** A function tool, whatever its argument and result types. */
export type PersonaTool = Extract<llm.ToolContextEntry, { type: 'function' }>;
