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
        { type: 'start', microphone: true },
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

  it('when the persona asks for consent and the visitor accepts, then the call goes on from consent', () => {
    assert.deepEqual(
      run([
        { type: 'ask-consent' },
        { type: 'start', microphone: true },
        { type: 'microphone-ready' },
        { type: 'connected' },
      ]),
      ['idle', 'consent', 'requesting-microphone', 'connecting', 'waiting-for-agent'],
    );
  });

  it('when the visitor declines the consent, then the widget is idle again', () => {
    assert.deepEqual(run([{ type: 'ask-consent' }, { type: 'decline' }]), [
      'idle',
      'consent',
      'idle',
    ]);
  });

  it('when consent is asked for again after a call, then it is asked from ended or error', () => {
    assert.equal(transition('ended', { type: 'ask-consent' }), 'consent');
    assert.equal(transition('error', { type: 'ask-consent' }), 'consent');
  });

  it('when consent or a decline arrive during a call, then nothing changes', () => {
    for (const state of ['requesting-microphone', 'connecting', 'listening'] as const) {
      assert.equal(transition(state, { type: 'ask-consent' }), state);
      assert.equal(transition(state, { type: 'decline' }), state);
    }
  });

  it('when the server cannot be reached, then the call goes from connecting to error', () => {
    assert.deepEqual(
      run([{ type: 'start', microphone: true }, { type: 'microphone-ready' }, { type: 'fail' }]),
      ['idle', 'requesting-microphone', 'connecting', 'error'],
    );
  });

  it('when the microphone is refused, then the call fails before connecting', () => {
    assert.deepEqual(
      run([{ type: 'start', microphone: true }, { type: 'fail' }, { type: 'connected' }]),
      ['idle', 'requesting-microphone', 'error'],
    );
  });

  it('when a failed call is retried, then it starts over from requesting the microphone', () => {
    assert.equal(transition('error', { type: 'start', microphone: true }), 'requesting-microphone');
    assert.equal(transition('ended', { type: 'start', microphone: true }), 'requesting-microphone');
  });

  it('when start is pressed during a call, then nothing changes', () => {
    for (const state of ['connecting', 'listening', 'speaking'] as const) {
      assert.equal(transition(state, { type: 'start', microphone: true }), state);
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

  it('when a text-only call starts, then it skips the microphone and goes straight to connecting', () => {
    assert.deepEqual(
      run([
        { type: 'start', microphone: false },
        { type: 'microphone-ready' },
        { type: 'connected' },
        { type: 'agent-state', agentState: 'listening' },
        { type: 'end' },
      ]),
      ['idle', 'connecting', 'waiting-for-agent', 'listening', 'ended'],
    );
  });

  it('when the network drops mid-call and comes back, then the call resumes in the agent state', () => {
    assert.deepEqual(
      run([
        { type: 'start', microphone: true },
        { type: 'microphone-ready' },
        { type: 'connected' },
        { type: 'agent-state', agentState: 'speaking' },
        { type: 'reconnecting' },
        // attribute updates replayed during the resume do not leave `reconnecting`
        { type: 'agent-state', agentState: 'thinking' },
        { type: 'reconnected', agentState: 'listening' },
        { type: 'agent-state', agentState: 'thinking' },
        { type: 'end' },
      ]),
      [
        'idle',
        'requesting-microphone',
        'connecting',
        'waiting-for-agent',
        'speaking',
        'reconnecting',
        'listening',
        'thinking',
        'ended',
      ],
    );
  });

  it('when the connection comes back before the agent joined, then the call waits for it again', () => {
    assert.deepEqual(
      run(
        [{ type: 'reconnecting' }, { type: 'reconnected', agentState: undefined }],
        'waiting-for-agent',
      ),
      ['waiting-for-agent', 'reconnecting', 'waiting-for-agent'],
    );
  });

  it('when reconnecting fails, then the call ends in error; when the visitor hangs up, it ends', () => {
    assert.deepEqual(run([{ type: 'reconnecting' }, { type: 'fail' }], 'listening'), [
      'listening',
      'reconnecting',
      'error',
    ]);
    assert.deepEqual(run([{ type: 'reconnecting' }, { type: 'end' }], 'thinking'), [
      'thinking',
      'reconnecting',
      'ended',
    ]);
  });

  it('when reconnect events arrive before the room is joined or after the call, then they are ignored', () => {
    for (const state of [
      'idle',
      'requesting-microphone',
      'connecting',
      'ended',
      'error',
    ] as const) {
      assert.equal(transition(state, { type: 'reconnecting' }), state);
      assert.equal(transition(state, { type: 'reconnected', agentState: 'listening' }), state);
    }
    assert.equal(
      transition('listening', { type: 'reconnected', agentState: 'speaking' }),
      'listening',
    );
  });

  it('when the agent does not join in time, then waiting for it ends in error', () => {
    assert.deepEqual(
      run([
        { type: 'start', microphone: true },
        { type: 'microphone-ready' },
        { type: 'connected' },
        { type: 'fail' },
        { type: 'agent-state', agentState: 'listening' },
      ]),
      ['idle', 'requesting-microphone', 'connecting', 'waiting-for-agent', 'error'],
    );
  });

  it('only the states between start and hang-up are active', () => {
    const active = (
      [
        'idle',
        'consent',
        'requesting-microphone',
        'connecting',
        'waiting-for-agent',
        'listening',
        'thinking',
        'speaking',
        'reconnecting',
        'ended',
        'error',
      ] as const
    ).filter(isActive);
    assert.deepEqual(active, [
      'consent',
      'requesting-microphone',
      'connecting',
      'waiting-for-agent',
      'listening',
      'thinking',
      'speaking',
      'reconnecting',
    ]);
  });

  it('parses the lk.agent.state attribute and rejects unknown values', () => {
    assert.equal(parseAgentState('thinking'), 'thinking');
    assert.equal(parseAgentState('dancing'), undefined);
    assert.equal(parseAgentState(undefined), undefined);
  });

  it('when the visitor’s phone takes the call over, then the call ends in continued-on-phone, and a new one can start', () => {
    assert.deepEqual(
      run([
        { type: 'start', microphone: true },
        { type: 'microphone-ready' },
        { type: 'connected' },
        { type: 'agent-state', agentState: 'listening' },
        { type: 'continue-on-phone' },
        { type: 'end' },
        { type: 'start', microphone: false },
      ]),
      [
        'idle',
        'requesting-microphone',
        'connecting',
        'waiting-for-agent',
        'listening',
        'continued-on-phone',
        'connecting',
      ],
    );
    assert.equal(isActive('continued-on-phone'), false);
  });

  it('when the room is not joined yet, then a phone leg cannot take the call over', () => {
    assert.equal(transition('connecting', { type: 'continue-on-phone' }), 'connecting');
    assert.equal(transition('ended', { type: 'continue-on-phone' }), 'ended');
  });
});
