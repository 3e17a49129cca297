/**
 * The states a `<parley-voice>` call goes through. A normal call runs
 * `idle → requesting-microphone → connecting → waiting-for-agent → listening ⇄ thinking ⇄ speaking
 * → ended`; a text-only call skips `requesting-microphone`. When the persona asks for consent, the
 * call first waits in `consent` until the visitor accepts (on to `requesting-microphone`) or
 * declines (back to `idle`). Once the room is joined, a dropped network gives `reconnecting`, which
 * returns to the conversation or falls into `error`. Any step before `ended` can fall into `error`.
 * A joined call whose visitor took it to their phone ends in `continued-on-phone` instead of
 * `ended`. From `ended`, `continued-on-phone` or `error` a new call starts.
 */
export type SessionState =
  | 'idle'
  | 'consent'
  | 'requesting-microphone'
  | 'connecting'
  | 'waiting-for-agent'
  | 'listening'
  | 'thinking'
  | 'speaking'
  | 'reconnecting'
  | 'ended'
  | 'continued-on-phone'
  | 'error';

/** The values LiveKit Agents publish in the agent participant's `lk.agent.state` attribute. */
export type AgentState = 'initializing' | 'idle' | 'listening' | 'thinking' | 'speaking';

export type SessionEvent =
  /** The persona asks for consent before the call; the visitor has not given it yet. */
  | { type: 'ask-consent' }
  /** The visitor refused the consent: no call. */
  | { type: 'decline' }
  /** The call starts (consent given if asked); `microphone: false` for a text-only call. */
  | { type: 'start'; microphone: boolean }
  /** The microphone track exists (permission granted). */
  | { type: 'microphone-ready' }
  /** The room is joined and the microphone is published. */
  | { type: 'connected' }
  /** The agent participant reported a new `lk.agent.state`. */
  | { type: 'agent-state'; agentState: AgentState }
  /** The network dropped; LiveKit is trying to resume the connection. */
  | { type: 'reconnecting' }
  /** The connection is back; `agentState` is the agent's state now, if it is in the room. */
  | { type: 'reconnected'; agentState: AgentState | undefined }
  /** Either side hung up. */
  | { type: 'end' }
  /** The visitor's phone answered in the room: the conversation goes on there, the page leaves. */
  | { type: 'continue-on-phone' }
  /** Something failed; the controller keeps the error details. */
  | { type: 'fail' };

function isAgentState(value: string): value is AgentState {
  return (
    value === 'initializing' ||
    value === 'idle' ||
    value === 'listening' ||
    value === 'thinking' ||
    value === 'speaking'
  );
}

/** Narrows a raw attribute value; unknown values (from a newer agent) give `undefined`. */
export function parseAgentState(value: string | undefined): AgentState | undefined {
  return value !== undefined && isAgentState(value) ? value : undefined;
}

/** States of a call under way: the launcher is hidden, `end()` has something to stop. */
export function isActive(state: SessionState): boolean {
  return (
    state !== 'idle' && state !== 'ended' && state !== 'continued-on-phone' && state !== 'error'
  );
}

/** States in which the room is joined (the agent may still be on its way). */
export function isJoined(state: SessionState): boolean {
  return state === 'waiting-for-agent' || state === 'reconnecting' || isInConversation(state);
}

/** States in which the agent is in the room and the conversation is running. */
export function isInConversation(state: SessionState): boolean {
  return state === 'listening' || state === 'thinking' || state === 'speaking';
}

function fromAgentState(agentState: AgentState): SessionState {
  switch (agentState) {
    case 'initializing':
      return 'waiting-for-agent';
    // an idle agent is waiting for the visitor to speak
    case 'idle':
    case 'listening':
      return 'listening';
    case 'thinking':
      return 'thinking';
    case 'speaking':
      return 'speaking';
  }
}

/**
 * The whole state machine. Pure: returns the next state, or the same state when the event does not
 * apply there (a late agent attribute after hang-up, a second `start` during a call, …).
 */
export function transition(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'ask-consent':
      return isActive(state) ? state : 'consent';
    case 'decline':
      return state === 'consent' ? 'idle' : state;
    case 'start':
      if (isActive(state) && state !== 'consent') return state;
      return event.microphone ? 'requesting-microphone' : 'connecting';
    case 'microphone-ready':
      return state === 'requesting-microphone' ? 'connecting' : state;
    case 'connected':
      return state === 'connecting' ? 'waiting-for-agent' : state;
    case 'agent-state':
      return state === 'waiting-for-agent' || isInConversation(state)
        ? fromAgentState(event.agentState)
        : state;
    case 'reconnecting':
      return state === 'waiting-for-agent' || isInConversation(state) ? 'reconnecting' : state;
    case 'reconnected':
      if (state !== 'reconnecting') return state;
      return event.agentState ? fromAgentState(event.agentState) : 'waiting-for-agent';
    case 'end':
      return isActive(state) ? 'ended' : state;
    case 'continue-on-phone':
      return isJoined(state) ? 'continued-on-phone' : state;
    case 'fail':
      return isActive(state) ? 'error' : state;
  }
}
