import { voice } from '@livekit/agents';
import type { Persona } from '@parley/contracts';
import type { CallConnection } from './call-connection.js';
import type { CallControls, CallState } from './call-controls.js';

export type SupervisedSession = Pick<voice.AgentSession, 'on' | 'off'>;

/**
 * Longest the connection may stay lost before the call ends as abandoned, without a word (none
 * would be heard): longer than livekit-client's and rtc-node's reconnect attempts last.
 */
export const OUTAGE_LIMIT_MS = 60_000;

/**
 * Watches a call for silence and for its time limit:
 * - when the caller has said nothing for `silence.repromptAfterSeconds` after the agent stopped
 *   speaking, the agent asks once whether they are still there;
 * - at `silence.hangUpAfterSeconds` of silence it says goodbye and ends the call (abandoned);
 * - at `maxCallDurationSeconds` it says the closing line and ends the call (completed).
 * An outcome the tools expect (`controls.expectOutcome`, a transfer) is recorded instead. While
 * the tools hold the silence watch (`controls.holdSilence`, a SIP transfer) it neither reprompts
 * nor hangs up; it starts again when the agent next listens. Any speech from the caller resets
 * the silence clock. While `connection` is lost (the agent or
 * the caller reconnecting) silence is not counted and nothing is said into it: the clock starts
 * again, with the reprompt, when the connection is back (the closing line of a time limit
 * reached meanwhile waits for it too); a connection lost for longer than `OUTAGE_LIMIT_MS` ends
 * the call. Returns a function that stops watching.
 */
export function superviseCall(
  session: SupervisedSession,
  persona: Pick<Persona, 'silence' | 'maxCallDurationSeconds' | 'closingLine'>,
  controls: CallControls,
  state: CallState,
  connection?: CallConnection,
): () => void {
  const { silence } = persona;
  let silenceTimer: NodeJS.Timeout | undefined;
  let outageTimer: NodeJS.Timeout | undefined;
  let reprompted = false;
  let agentState: voice.AgentState | undefined;
  let userSpeaking = false;
  /** The time limit came while the connection was lost: the closing line waits for it. */
  let overTime = false;
  const agentSpeaking = () => agentState === 'speaking' || agentState === 'thinking';

  const clearSilence = () => {
    clearTimeout(silenceTimer);
    silenceTimer = undefined;
  };
  const finish = (line: string, outcome: 'completed' | 'abandoned', reason: string) => {
    if (state.ending) return;
    clearSilence();
    // An expected outcome stands: a caller whose phone followed a REFER is silent on this leg.
    void controls.say(line).then(() => controls.end(state.expected ?? outcome, reason));
  };
  /** Starts the silence clock from now, for the next step (reprompt, then hang-up). */
  const armSilence = () => {
    clearSilence();
    if (state.ending || state.silenceHeld || connection?.lost !== undefined) return;
    const waitS = reprompted
      ? silence.hangUpAfterSeconds - silence.repromptAfterSeconds
      : silence.repromptAfterSeconds;
    silenceTimer = setTimeout(
      () => {
        if (state.silenceHeld) return;
        if (!reprompted) {
          reprompted = true;
          void controls.say(silence.repromptLine);
          // The clock restarts when the reprompt has been spoken (agent back to listening).
        } else {
          finish(silence.hangUpLine, 'abandoned', 'the caller stayed silent');
        }
      },
      Math.max(waitS, 1) * 1000,
    );
  };

  const onUser = (ev: voice.UserStateChangedEvent) => {
    userSpeaking = ev.newState === 'speaking';
    if (userSpeaking) {
      reprompted = false;
      clearSilence();
    } else if (ev.newState === 'listening' && !agentSpeaking()) {
      armSilence();
    }
  };
  const onAgent = (ev: voice.AgentStateChangedEvent) => {
    agentState = ev.newState;
    if (agentSpeaking()) clearSilence();
    else if (ev.newState === 'listening') armSilence();
  };
  const onConnection = (lost: string | undefined) => {
    clearTimeout(outageTimer);
    if (lost !== undefined) {
      clearSilence();
      outageTimer = setTimeout(() => {
        if (!state.ending) void controls.end('abandoned', 'the connection did not come back');
      }, OUTAGE_LIMIT_MS);
      return;
    }
    if (overTime) {
      endOverTime();
      return;
    }
    // Whatever was said before the outage may not have been heard: the full window again.
    reprompted = false;
    if (agentState === 'listening' && !userSpeaking) armSilence();
  };
  const endOverTime = () => {
    overTime = connection?.lost !== undefined;
    if (!overTime) finish(persona.closingLine, 'completed', 'the call reached its time limit');
  };
  const limit = setTimeout(endOverTime, persona.maxCallDurationSeconds * 1000);

  session.on(voice.AgentSessionEventTypes.UserStateChanged, onUser);
  session.on(voice.AgentSessionEventTypes.AgentStateChanged, onAgent);
  const stopWatchingConnection = connection?.onChange(onConnection);
  if (connection?.lost !== undefined) onConnection(connection.lost);
  return () => {
    clearSilence();
    clearTimeout(outageTimer);
    clearTimeout(limit);
    stopWatchingConnection?.();
    session.off(voice.AgentSessionEventTypes.UserStateChanged, onUser);
    session.off(voice.AgentSessionEventTypes.AgentStateChanged, onAgent);
  };
}
