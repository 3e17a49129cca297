import { voice } from '@livekit/agents';
import type { Persona } from '@parley/contracts';
import type { CallControls, CallState } from './call-controls.js';

export type SupervisedSession = Pick<voice.AgentSession, 'on' | 'off'>;

/**
 * Watches a call for silence and for its time limit:
 * - when the caller has said nothing for `silence.repromptAfterSeconds` after the agent stopped
 *   speaking, the agent asks once whether they are still there;
 * - at `silence.hangUpAfterSeconds` of silence it says goodbye and ends the call (abandoned);
 * - at `maxCallDurationSeconds` it says the closing line and ends the call (completed).
 * Any speech from the caller resets the silence clock. Returns a function that stops watching.
 */
export function superviseCall(
  session: SupervisedSession,
  persona: Pick<Persona, 'silence' | 'maxCallDurationSeconds' | 'closingLine'>,
  controls: CallControls,
  state: CallState,
): () => void {
  const { silence } = persona;
  let silenceTimer: NodeJS.Timeout | undefined;
  let reprompted = false;
  let agentSpeaking = false;

  const clearSilence = () => {
    clearTimeout(silenceTimer);
    silenceTimer = undefined;
  };
  const finish = (line: string, outcome: 'completed' | 'abandoned', reason: string) => {
    if (state.ending) return;
    clearSilence();
    void controls.say(line).then(() => controls.end(outcome, reason));
  };
  /** Starts the silence clock from now, for the next step (reprompt, then hang-up). */
  const armSilence = () => {
    clearSilence();
    if (state.ending) return;
    const waitS = reprompted
      ? silence.hangUpAfterSeconds - silence.repromptAfterSeconds
      : silence.repromptAfterSeconds;
    silenceTimer = setTimeout(
      () => {
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
    if (ev.newState === 'speaking') {
      reprompted = false;
      clearSilence();
    } else if (ev.newState === 'listening' && !agentSpeaking) {
      armSilence();
    }
  };
  const onAgent = (ev: voice.AgentStateChangedEvent) => {
    agentSpeaking = ev.newState === 'speaking' || ev.newState === 'thinking';
    if (agentSpeaking) clearSilence();
    else if (ev.newState === 'listening') armSilence();
  };
  const limit = setTimeout(
    () => finish(persona.closingLine, 'completed', 'the call reached its time limit'),
    persona.maxCallDurationSeconds * 1000,
  );

  session.on(voice.AgentSessionEventTypes.UserStateChanged, onUser);
  session.on(voice.AgentSessionEventTypes.AgentStateChanged, onAgent);
  return () => {
    clearSilence();
    clearTimeout(limit);
    session.off(voice.AgentSessionEventTypes.UserStateChanged, onUser);
    session.off(voice.AgentSessionEventTypes.AgentStateChanged, onAgent);
  };
}
