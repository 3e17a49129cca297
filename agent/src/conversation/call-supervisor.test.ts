import { voice } from '@livekit/agents';
import { PersonaSchema } from '@parley/contracts';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { fakeConnectionRoom } from '../../test/fake-connection-room.js';
import { type CallConnection, watchCallConnection } from './call-connection.js';
import { createCallControls, END_GRACE_MS, type ControlledSession } from './call-controls.js';
import { OUTAGE_LIMIT_MS, superviseCall } from './call-supervisor.js';

const persona = PersonaSchema.parse({
  id: 'quiet',
  name: 'Quiet',
  greeting: 'Hi',
  instructions: '',
  silence: {
    repromptAfterSeconds: 5,
    repromptLine: 'Still there?',
    hangUpAfterSeconds: 12,
    hangUpLine: 'Bye for now.',
  },
  maxCallDurationSeconds: 60,
  closingLine: 'Time is up.',
});

/** A session double: records what was said and whether it was shut down. */
class FakeSession extends EventEmitter {
  agentState: voice.AgentState = 'listening';
  said: string[] = [];
  shutdowns = 0;
  say(text: string) {
    this.said.push(text);
    return { waitForPlayout: async () => undefined };
  }
  shutdown() {
    this.shutdowns += 1;
  }
  agent(state: voice.AgentState) {
    const oldState = this.agentState;
    this.agentState = state;
    this.emit(voice.AgentSessionEventTypes.AgentStateChanged, { oldState, newState: state });
  }
  user(state: voice.UserState) {
    this.emit(voice.AgentSessionEventTypes.UserStateChanged, { newState: state });
  }
}

function supervised(connection?: CallConnection, limits = persona) {
  const session = new FakeSession();
  const outcomes: string[] = [];
  const { controls, state } = createCallControls(
    session as unknown as ControlledSession,
    (outcome) => outcomes.push(outcome ?? 'none'),
  );
  const stop = superviseCall(
    session as unknown as ControlledSession,
    limits,
    controls,
    state,
    connection,
  );
  return { session, outcomes, controls, state, stop };
}

/**
 * A supervised call whose connection is watched in a room with the caller in it; its time
 * limit is an hour unless given.
 */
function supervisedInRoom(maxCallDurationSeconds = 3600) {
  const fake = fakeConnectionRoom();
  fake.join('visitor');
  const connection = watchCallConnection(fake.room, { identity: 'visitor' });
  return { fake, ...supervised(connection, { ...persona, maxCallDurationSeconds }) };
}

/** Lets the promise chain of `say(…).then(end)` run. */
async function settle() {
  await Promise.resolve();
  await Promise.resolve();
}

describe('call supervisor', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  test('silence: one reprompt, then a polite hang-up as abandoned', async () => {
    const { session, outcomes } = supervised();
    session.agent('speaking');
    session.agent('listening'); // the greeting is over
    mock.timers.tick(4_999);
    assert.deepEqual(session.said, []);
    mock.timers.tick(1);
    assert.deepEqual(session.said, ['Still there?']);
    session.agent('speaking');
    session.agent('listening'); // the reprompt is over: 7 more seconds to the hang-up
    mock.timers.tick(6_999);
    assert.equal(session.said.length, 1);
    mock.timers.tick(1);
    await Promise.resolve();
    await Promise.resolve();
    assert.deepEqual(session.said, ['Still there?', 'Bye for now.']);
    assert.deepEqual(outcomes, ['abandoned']);
    assert.equal(session.shutdowns, 1);
  });

  test('speech from the caller resets the silence clock and the reprompt', () => {
    const { session } = supervised();
    session.agent('listening');
    mock.timers.tick(5_000);
    assert.deepEqual(session.said, ['Still there?']);
    session.user('speaking');
    session.user('listening');
    session.agent('thinking');
    session.agent('speaking');
    session.agent('listening');
    mock.timers.tick(4_000);
    assert.equal(session.said.length, 1, 'no second prompt before 5 s of new silence');
    mock.timers.tick(1_000);
    assert.deepEqual(session.said, ['Still there?', 'Still there?']);
  });

  test('no silence prompt while the agent is speaking or thinking', () => {
    const { session } = supervised();
    session.agent('thinking');
    mock.timers.tick(30_000);
    assert.deepEqual(session.said, []);
  });

  test('the time limit says the closing line and ends the call as completed', async () => {
    const { session, outcomes, state } = supervised();
    session.agent('speaking'); // talking the whole time: no silence prompts
    mock.timers.tick(60_000);
    await Promise.resolve();
    await Promise.resolve();
    assert.deepEqual(session.said, ['Time is up.']);
    assert.deepEqual(outcomes, ['completed']);
    assert.equal(state.ending?.reason, 'the call reached its time limit');
    // The agent is still speaking: the hang-up waits for it to finish.
    assert.equal(session.shutdowns, 0);
    session.agent('listening');
    assert.equal(session.shutdowns, 1);
  });

  test('while a SIP transfer holds the silence watch, nothing is said; it starts again when the agent next listens', () => {
    const { session, controls } = supervised();
    session.agent('speaking'); // "Let me get someone for you."
    controls.holdSilence(true);
    session.agent('listening'); // the REFER is under way: livekit-sip plays a ringback
    mock.timers.tick(30_000);
    assert.deepEqual(session.said, []);
    controls.holdSilence(false); // the REFER failed
    session.agent('speaking'); // the apology
    session.agent('listening');
    mock.timers.tick(5_000);
    assert.deepEqual(session.said, ['Still there?']);
  });

  test('a hold that starts while the clock runs stops the reprompt due then', () => {
    const { session, controls } = supervised();
    session.agent('listening');
    mock.timers.tick(4_000);
    controls.holdSilence(true);
    mock.timers.tick(30_000);
    assert.deepEqual(session.said, []);
  });

  test('a call ending for silence records the outcome the tools expect', async () => {
    const { session, outcomes, controls, state } = supervised();
    // A REFER reported as failed that the phone followed: this leg is on hold and silent.
    controls.expectOutcome('transferred', 'caller-speaks');
    session.agent('listening');
    mock.timers.tick(5_000);
    session.agent('speaking');
    session.agent('listening');
    mock.timers.tick(7_000);
    await settle();
    assert.deepEqual(session.said, ['Still there?', 'Bye for now.']);
    assert.equal(state.ending?.outcome, 'transferred');
    assert.deepEqual(outcomes, ['transferred', 'transferred']);
  });

  test('stopping the supervisor cancels its timers', () => {
    const { session, stop } = supervised();
    session.agent('listening');
    stop();
    mock.timers.tick(120_000);
    assert.deepEqual(session.said, []);
  });
});

describe('call supervisor while the connection is lost', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  test('when the agent reconnects, the outage is not silence and the full window is needed after it', async () => {
    const { fake, session, outcomes } = supervisedInRoom();
    session.agent('speaking');
    session.agent('listening');
    mock.timers.tick(4_000);
    fake.reconnecting();
    mock.timers.tick(30_000); // far past the reprompt (5 s) and the hang-up (12 s)
    assert.deepEqual(session.said, []);
    fake.reconnected();
    mock.timers.tick(4_999); // 4 s before the outage do not count
    assert.deepEqual(session.said, []);
    mock.timers.tick(1);
    assert.deepEqual(session.said, ['Still there?']);
    session.agent('speaking');
    session.agent('listening');
    mock.timers.tick(7_000);
    await settle();
    // silence still hangs up once the connection is back
    assert.deepEqual(session.said, ['Still there?', 'Bye for now.']);
    assert.deepEqual(outcomes, ['abandoned']);
  });

  test('when the caller rejoins after a reprompt, the reprompt and the hang-up wait the full window again', async () => {
    const { fake, session, outcomes } = supervisedInRoom();
    session.agent('listening');
    mock.timers.tick(5_000);
    session.agent('speaking');
    session.agent('listening'); // the reprompt was said; 7 s left to the hang-up
    mock.timers.tick(6_000);
    // the visitor's client makes a full reconnect: gone, back, then their microphone
    fake.leave('visitor');
    mock.timers.tick(20_000);
    fake.join('visitor', { microphone: false });
    mock.timers.tick(20_000);
    assert.deepEqual(session.said, ['Still there?'], 'nothing said while they were away');
    fake.publishMicrophone('visitor');
    mock.timers.tick(4_999);
    assert.deepEqual(session.said, ['Still there?']);
    mock.timers.tick(1);
    assert.deepEqual(session.said, ['Still there?', 'Still there?']);
    session.agent('speaking');
    session.agent('listening');
    mock.timers.tick(6_999);
    await settle();
    assert.deepEqual(outcomes, []);
    mock.timers.tick(1);
    await settle();
    assert.deepEqual(session.said, ['Still there?', 'Still there?', 'Bye for now.']);
    assert.deepEqual(outcomes, ['abandoned']);
  });

  test('when the agent finishes speaking into an outage, the clock waits for the connection', () => {
    const { fake, session } = supervisedInRoom();
    session.agent('speaking');
    fake.reconnecting();
    session.agent('listening');
    mock.timers.tick(30_000);
    assert.deepEqual(session.said, []);
    fake.reconnected();
    mock.timers.tick(5_000);
    assert.deepEqual(session.said, ['Still there?']);
  });

  test('when the caller is speaking as the connection comes back, the clock starts when they stop', () => {
    const { fake, session } = supervisedInRoom();
    session.agent('listening');
    fake.reconnecting();
    session.user('speaking');
    fake.reconnected();
    mock.timers.tick(30_000);
    assert.deepEqual(session.said, []);
    session.user('listening');
    mock.timers.tick(5_000);
    assert.deepEqual(session.said, ['Still there?']);
  });

  test('when the connection does not come back, the call ends as abandoned without a word', async () => {
    const { fake, session, outcomes, state } = supervisedInRoom();
    session.agent('listening');
    fake.leave('visitor');
    mock.timers.tick(OUTAGE_LIMIT_MS - 1);
    assert.deepEqual(outcomes, []);
    mock.timers.tick(1);
    await settle();
    assert.deepEqual(session.said, []);
    assert.deepEqual(outcomes, ['abandoned']);
    assert.equal(state.ending?.reason, 'the connection did not come back');
    assert.equal(session.shutdowns, 1);
  });

  test('a connection back before the outage limit keeps the call', () => {
    const { fake, session, outcomes } = supervisedInRoom();
    session.agent('thinking');
    fake.reconnecting();
    mock.timers.tick(OUTAGE_LIMIT_MS - 1_000);
    fake.reconnected();
    mock.timers.tick(OUTAGE_LIMIT_MS);
    assert.deepEqual(outcomes, []);
    assert.deepEqual(session.said, []);
  });

  test('a time limit reached during an outage says the closing line once the connection is back', async () => {
    const { fake, session, outcomes } = supervisedInRoom(60);
    session.agent('thinking');
    mock.timers.tick(50_000);
    fake.reconnecting();
    mock.timers.tick(20_000);
    assert.deepEqual(session.said, []);
    fake.reconnected();
    await settle();
    assert.deepEqual(session.said, ['Time is up.']);
    assert.deepEqual(outcomes, ['completed']);
  });
});

describe('call controls', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  test('an end asked by a tool waits for the reply to be spoken, then hangs up once', async () => {
    const session = new FakeSession();
    session.agentState = 'thinking';
    const { controls } = createCallControls(session as unknown as ControlledSession, () => {});
    await controls.end('transferred', 'asked for a person');
    await controls.end('completed', 'again');
    assert.equal(session.shutdowns, 0);
    session.agent('speaking');
    assert.equal(session.shutdowns, 0);
    session.agent('listening');
    assert.equal(session.shutdowns, 1);
    session.agent('listening');
    assert.equal(session.shutdowns, 1);
  });

  test('an end hangs up after the grace period even if the agent never settles', async () => {
    const session = new FakeSession();
    session.agentState = 'thinking';
    const { controls } = createCallControls(session as unknown as ControlledSession, () => {});
    await controls.end('completed', 'bye');
    mock.timers.tick(END_GRACE_MS);
    assert.equal(session.shutdowns, 1);
  });

  test('an expected outcome reaches the record until an end decides it', async () => {
    const outcomes: string[] = [];
    const { controls } = createCallControls(
      new FakeSession() as unknown as ControlledSession,
      (o) => outcomes.push(o ?? 'none'),
    );
    controls.expectOutcome('transferred');
    controls.expectOutcome(undefined);
    await controls.end('completed', 'bye');
    controls.expectOutcome('transferred');
    assert.deepEqual(outcomes, ['transferred', 'none', 'completed']);
  });

  test('an outcome expected until the caller speaks is withdrawn by their next words', () => {
    const session = new FakeSession();
    const outcomes: string[] = [];
    const { controls, state } = createCallControls(session as unknown as ControlledSession, (o) =>
      outcomes.push(o ?? 'none'),
    );
    controls.expectOutcome('transferred', 'caller-speaks');
    session.user('listening');
    assert.equal(state.expected, 'transferred');
    session.user('speaking');
    assert.equal(state.expected, undefined);
    // Withdrawn once: later words change nothing.
    controls.expectOutcome('transferred');
    session.user('speaking');
    assert.deepEqual(outcomes, ['transferred', 'none', 'transferred']);
  });

  test('the hottest lead temperature is kept', () => {
    const { controls, state } = createCallControls(
      new FakeSession() as unknown as ControlledSession,
      () => {},
    );
    controls.noteLead('warm');
    controls.noteLead('hot');
    controls.noteLead('cold');
    assert.equal(state.leadTemperature, 'hot');
  });
});
