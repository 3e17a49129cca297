import { voice } from '@livekit/agents';
import type { CallOutcome, LeadTemperature } from '@parley/contracts';
import type { CallControls } from '../tools/index.js';

export type { CallControls };

/** The session surface the controls use. */
export type ControlledSession = Pick<
  voice.AgentSession,
  'say' | 'shutdown' | 'on' | 'off' | 'agentState'
>;

export interface CallState {
  /** Set once an end was asked for. */
  ending?: { outcome: CallOutcome; reason: string };
  /** The outcome if the call closes, or ends for silence, before an end decides (a transfer). */
  expected?: CallOutcome;
  /** The silence watch waits (a SIP transfer holds the line). */
  silenceHeld?: boolean;
  leadTemperature?: LeadTemperature;
}

const HEAT: Record<LeadTemperature, number> = { cold: 0, warm: 1, hot: 2 };

/** Longest an ending call waits for the agent's last words before it hangs up anyway. */
export const END_GRACE_MS = 15_000;

/**
 * Controls over one session. An end waits until the agent is done speaking (its state leaves
 * `thinking`/`speaking`), so the goodbye a tool asked for is heard, then shuts the session
 * down; `onOutcome` tells the call record.
 */
export function createCallControls(
  session: ControlledSession,
  onOutcome: (outcome: CallOutcome | undefined) => void,
  state: CallState = {},
): { controls: CallControls; state: CallState } {
  const settle = () => session.agentState === 'listening' || session.agentState === 'idle';
  /** Stops waiting for the caller's words that withdraw an expected outcome. */
  let stopWaitingForWords: (() => void) | undefined;
  const controls: CallControls = {
    async say(text) {
      // A different handle from the one running a tool, so waiting for it inside a tool is safe.
      await session.say(text, { addToChatCtx: false, allowInterruptions: false }).waitForPlayout();
    },
    async end(outcome, reason) {
      if (state.ending) return;
      state.ending = { outcome, reason };
      onOutcome(outcome);
      const hangUp = () => {
        clearTimeout(grace);
        session.off(voice.AgentSessionEventTypes.AgentStateChanged, onState);
        session.shutdown({ drain: true });
      };
      const onState = (ev: voice.AgentStateChangedEvent) => {
        if (ev.newState === 'listening' || ev.newState === 'idle') hangUp();
      };
      const grace = setTimeout(hangUp, END_GRACE_MS);
      session.on(voice.AgentSessionEventTypes.AgentStateChanged, onState);
      // From a tool the agent is still `thinking`: its reply to the tool's result comes first.
      // Between turns (the supervisor) it is listening; draining plays what `say` queued.
      if (settle()) hangUp();
    },
    expectOutcome(outcome, until) {
      stopWaitingForWords?.();
      stopWaitingForWords = undefined;
      if (state.ending) return;
      state.expected = outcome;
      onOutcome(outcome);
      if (outcome === undefined || until !== 'caller-speaks') return;
      const onUser = (ev: voice.UserStateChangedEvent) => {
        if (ev.newState === 'speaking') controls.expectOutcome(undefined);
      };
      session.on(voice.AgentSessionEventTypes.UserStateChanged, onUser);
      stopWaitingForWords = () =>
        session.off(voice.AgentSessionEventTypes.UserStateChanged, onUser);
    },
    holdSilence(held) {
      state.silenceHeld = held;
    },
    noteLead(temperature) {
      const current = state.leadTemperature;
      if (!current || HEAT[temperature] > HEAT[current]) state.leadTemperature = temperature;
    },
  };
  return { controls, state };
}
