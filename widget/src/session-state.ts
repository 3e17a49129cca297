/**
 * The states a `<parley-voice>` call goes through. A normal call runs
 * `idle → requesting-microphone → connecting → waiting-for-agent → listening ⇄ thinking ⇄ speaking
 * → ended`; any step before `ended` can fall into `error`. From `ended` or `error` a new call starts.
 */
export type SessionState =
  | 'idle'
  | 'requesting-microphone'
  | 'connecting'
  | 'waiting-for-agent'
  | 'listening'
  | 'thinking'
  | 'speaking'
  | 'ended'
  | 'error';

/** The values LiveKit Agents publish in the agent participant's `lk.agent.state` attribute. */
export type AgentState = 'initializing' | 'idle' | 'listening' | 'thinking' | 'speaking';

export type SessionEvent =
  /** The visitor asked for a call. */
  | { type: 'start' }
  /** The microphone track exists (permission granted). */
  | { type: 'microphone-ready' }
  /** The room is joined and the microphone is published. */
  | { type: 'connected' }
  /** The agent participant reported a new `lk.agent.state`. */
  | { type: 'agent-state'; agentState: AgentState }
  /** Either side hung up. */
  | { type: 'end' }
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

/** States in which a call holds resources (microphone, room) that `end()` must release. */
export function isActive(state: SessionState): boolean {
  return state !== 'idle' && state !== 'ended' && state !== 'error';
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
    case 'start':
      return isActive(state) ? state : 'requesting-microphone';
    case 'microphone-ready':
      return state === 'requesting-microphone' ? 'connecting' : state;
    case 'connected':
      return state === 'connecting' ? 'waiting-for-agent' : state;
    case 'agent-state':
      return state === 'waiting-for-agent' || isInConversation(state)
        ? fromAgentState(event.agentState)
        : state;
    case 'end':
      return isActive(state) ? 'ended' : state;
    case 'fail':
      return isActive(state) ? 'error' : state;
  }
}
