import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import {
  agentTimeoutMs,
  datasetKey,
  formatDuration,
  parsePosition,
  parseTheme,
  parseVariables,
  readableOn,
} from './attributes.js';

describe('attributes', () => {
  it('when variables are a JSON object, then strings, numbers and booleans are kept', () => {
    assert.deepEqual(parseVariables('{"plan":"pro","seats":3,"trial":false}'), {
      plan: 'pro',
      seats: 3,
      trial: false,
    });
    assert.deepEqual(parseVariables(null), {});
    assert.deepEqual(parseVariables('  '), {});
  });

  it('when variables are not valid, then they are left out with a console warning', (t) => {
    const warn = t.mock.method(console, 'warn', () => undefined);
    assert.deepEqual(parseVariables('{plan: pro}'), {});
    assert.deepEqual(parseVariables('[1,2]'), {});
    assert.deepEqual(parseVariables('{"ok":"yes","nested":{"a":1},"nan":null}'), { ok: 'yes' });
    assert.equal(warn.mock.callCount(), 4);
    mock.restoreAll();
  });

  it('unknown positions are inline and unknown themes light', () => {
    assert.equal(parsePosition('bottom-left'), 'bottom-left');
    assert.equal(parsePosition('top'), 'inline');
    assert.equal(parsePosition(null), 'inline');
    assert.equal(parseTheme('auto'), 'auto');
    assert.equal(parseTheme('blue'), 'light');
  });

  it('maps attribute names to dataset keys for the loader', () => {
    assert.equal(datasetKey('start-muted'), 'startMuted');
    assert.equal(datasetKey('agent-timeout'), 'agentTimeout');
    assert.equal(datasetKey('persona'), 'persona');
  });

  it('agent-timeout is seconds; nonsense falls back to the default', () => {
    assert.equal(agentTimeoutMs(12), 12_000);
    assert.equal(agentTimeoutMs(0.5), 500);
    assert.equal(agentTimeoutMs(Number.NaN), 30_000);
    assert.equal(agentTimeoutMs(-3), 30_000);
  });

  it('picks the text colour with the higher contrast on the accent', () => {
    assert.equal(readableOn('#1d4ed8'), '#ffffff');
    assert.equal(readableOn('#ffd60a'), '#000000');
    assert.equal(readableOn('#FFF'), '#000000');
    assert.equal(readableOn('rgb(0, 0, 0)'), '#ffffff');
    assert.equal(readableOn('rgb(250 250 250 / 50%)'), '#000000');
    assert.equal(readableOn('rebeccapurple'), undefined);
    assert.equal(readableOn('rgb(300, 0, 0)'), undefined);
  });

  it('formats the call timer', () => {
    assert.equal(formatDuration(0), '0:00');
    assert.equal(formatDuration(61_900), '1:01');
    assert.equal(formatDuration(3_725_000), '1:02:05');
    assert.equal(formatDuration(-5), '0:00');
  });
});
