import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isActive,
  parseAgentState,
  transition,
  type SessionEvent,
  type SessionState,
} from './session-state.js';

/** Runs events from `idle` and returns every state entered, in order (repeats dropped). */
function run(events: SessionEvent[], from: SessionState = 'idle'): SessionState[] {
  const visited: SessionState[] = [from];
  let state = from;
  for (const event of events) {
    const next = transition(state, event);
    if (next !== state) visited.push(next);
    state = next;
  }
  return visited;
}

describe('session state', () => {
  it('when a call goes well, then it passes through every step in order and ends', () => {
    assert.deepEqual(
      run([
        { type: 'start' },
        { type: 'microphone-ready' },
        { type: 'connected' },
        { type: 'agent-state', agentState: 'initializing' },
        { type: 'agent-state', agentState: 'listening' },
        { type: 'agent-state', agentState: 'thinking' },
        { type: 'agent-state', agentState: 'speaking' },
        { type: 'agent-state', agentState: 'listening' },
        { type: 'end' },
      ]),
      [
        'idle',
        'requesting-microphone',
        'connecting',
        'waiting-for-agent',
        'listening',
        'thinking',
        'speaking',
        'listening',
        'ended',
      ],
    );
  });

  it('when the server cannot be reached, then the call goes from connecting to error', () => {
    assert.deepEqual(run([{ type: 'start' }, { type: 'microphone-ready' }, { type: 'fail' }]), [
      'idle',
      'requesting-microphone',
      'connecting',
      'error',
    ]);
  });

  it('when the microphone is refused, then the call fails before connecting', () => {
    assert.deepEqual(run([{ type: 'start' }, { type: 'fail' }, { type: 'connected' }]), [
      'idle',
      'requesting-microphone',
      'error',
    ]);
  });

  it('when a failed call is retried, then it starts over from requesting the microphone', () => {
    assert.equal(transition('error', { type: 'start' }), 'requesting-microphone');
    assert.equal(transition('ended', { type: 'start' }), 'requesting-microphone');
  });

  it('when start is pressed during a call, then nothing changes', () => {
    for (const state of ['connecting', 'listening', 'speaking'] as const) {
      assert.equal(transition(state, { type: 'start' }), state);
    }
  });

  it('when the agent reports idle, then the visitor is listened to', () => {
    assert.equal(transition('speaking', { type: 'agent-state', agentState: 'idle' }), 'listening');
  });

  it('when agent states arrive before the room is joined or after hang-up, then they are ignored', () => {
    const speaking = { type: 'agent-state', agentState: 'speaking' } as const;
    assert.equal(transition('connecting', speaking), 'connecting');
    assert.equal(transition('ended', speaking), 'ended');
    assert.equal(transition('error', speaking), 'error');
    assert.equal(transition('idle', speaking), 'idle');
  });

  it('when the call already ended, then a late failure does not turn it into an error', () => {
    assert.equal(transition('ended', { type: 'fail' }), 'ended');
    assert.equal(transition('idle', { type: 'end' }), 'idle');
  });

  it('when steps arrive out of order, then they are ignored', () => {
    assert.equal(
      transition('requesting-microphone', { type: 'connected' }),
      'requesting-microphone',
    );
    assert.equal(transition('listening', { type: 'microphone-ready' }), 'listening');
  });

  it('only the states between start and hang-up are active', () => {
    const active = (
      [
        'idle',
        'requesting-microphone',
        'connecting',
        'waiting-for-agent',
        'listening',
        'thinking',
        'speaking',
        'ended',
        'error',
      ] as const
    ).filter(isActive);
    assert.deepEqual(active, [
      'requesting-microphone',
      'connecting',
      'waiting-for-agent',
      'listening',
      'thinking',
      'speaking',
    ]);
  });

  it('parses the lk.agent.state attribute and rejects unknown values', () => {
    assert.equal(parseAgentState('thinking'), 'thinking');
    assert.equal(parseAgentState('dancing'), undefined);
    assert.equal(parseAgentState(undefined), undefined);
  });
});
