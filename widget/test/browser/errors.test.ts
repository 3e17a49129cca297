import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import { en } from '../../src/i18n/en.js';
import { useStandInBrowser } from './support/stand-in-browser.js';
import { detailsOf, part, statesOf, waitForState } from './support/widget-page.js';

const browser = useStandInBrowser();

/** A loopback port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('<parley-voice> errors, against a stand-in session', () => {
  test('when the visitor blocks the microphone, then the call fails with microphone_denied before any session, says so, and offers to type', async () => {
    const page = await browser.open('<parley-voice persona="stand-in"></parley-voice>', {
      microphone: 'deny',
    });
    await part(page, 'launcher').click();
    await waitForState(page, 'error');

    assert.deepEqual(await statesOf(page), ['requesting-microphone', 'error']);
    assert.deepEqual(await detailsOf(page, 'parley-error'), [
      { code: 'microphone_denied', message: en.errors.microphone_denied },
    ]);
    const error = part(page, 'error');
    assert.equal(await error.getAttribute('role'), 'alert');
    assert.equal(await error.textContent(), en.errors.microphone_denied);
    assert.equal(await part(page, 'status').textContent(), en.status.error);
    assert.deepEqual(browser.server.sessionRequests, [], 'a refusal costs no session');
    assert.deepEqual(await detailsOf(page, 'parley-ended'), [], 'no room was joined');

    // the way forward: the same call by text, without the microphone
    await part(page, 'text-mode-button').click();
    await waitForState(page, 'waiting-for-agent');
    assert.deepEqual(await statesOf(page), [
      'requesting-microphone',
      'error',
      'connecting',
      'waiting-for-agent',
    ]);
    assert.equal(await part(page, 'error').count(), 0, 'the error is gone with the new call');
    assert.equal(await page.evaluate(() => window.parleyStandIn.publishedTracks), 0);
  });

  test('when the Parley server cannot be reached, then the call fails with server_unreachable and no room is joined', async () => {
    const server = `http://127.0.0.1:${await closedPort()}`;
    const page = await browser.open(
      `<parley-voice persona="stand-in" server="${server}"></parley-voice>`,
    );
    await part(page, 'launcher').click();
    await waitForState(page, 'error');

    assert.deepEqual(await statesOf(page), ['requesting-microphone', 'connecting', 'error']);
    assert.deepEqual(await detailsOf(page, 'parley-error'), [
      { code: 'server_unreachable', message: en.errors.server_unreachable },
    ]);
    assert.equal(await part(page, 'error').textContent(), en.errors.server_unreachable);
    assert.equal(await page.evaluate(() => window.parleyStandIn.joinedRooms), 0);
    assert.equal(await part(page, 'text-mode-button').count(), 0, 'typing would not help');
    assert.equal(await part(page, 'launcher').count(), 1, 'the visitor may try again');
  });

  test('when no agent joins within agent-timeout, then the joined call fails with agent_unavailable and ends', async () => {
    const page = await browser.open(
      '<parley-voice persona="stand-in" agent-timeout="0.3"></parley-voice>',
    );
    await part(page, 'launcher').click();
    await waitForState(page, 'error');

    assert.deepEqual(await statesOf(page), [
      'requesting-microphone',
      'connecting',
      'waiting-for-agent',
      'error',
    ]);
    assert.deepEqual(await detailsOf(page, 'parley-error'), [
      { code: 'agent_unavailable', message: en.errors.agent_unavailable },
    ]);
    assert.equal(await part(page, 'error').textContent(), en.errors.agent_unavailable);
    assert.deepEqual(await detailsOf(page, 'parley-ended'), [
      { reason: 'error', roomName: 'room-1' },
    ]);
  });

  test('when the agent joins in time, then the agent timeout does not fire', async () => {
    const page = await browser.open(
      '<parley-voice persona="stand-in" agent-timeout="0.3"></parley-voice>',
    );
    await part(page, 'launcher').click();
    await waitForState(page, 'waiting-for-agent');
    await page.evaluate(() => window.parleyStandIn.agentJoins('listening'));
    await page.waitForTimeout(600);
    assert.deepEqual(await statesOf(page), [
      'requesting-microphone',
      'connecting',
      'waiting-for-agent',
      'listening',
    ]);
  });

  test('when the server refuses the session, then its own message is shown (here: origin_not_allowed, 403)', async () => {
    browser.server.sessionAnswer = {
      kind: 'error',
      status: 403,
      code: 'origin_not_allowed',
      message: 'This page may not talk to persona stand-in.',
    };
    const page = await browser.open('<parley-voice persona="stand-in"></parley-voice>');
    await part(page, 'launcher').click();
    await waitForState(page, 'error');

    assert.deepEqual(await detailsOf(page, 'parley-error'), [
      { code: 'origin_not_allowed', message: 'This page may not talk to persona stand-in.' },
    ]);
    assert.equal(
      await part(page, 'error').textContent(),
      'This page may not talk to persona stand-in.',
    );
  });

  test('when every agent is busy (at_capacity), then the visitor is told so at once and can try again', async () => {
    browser.server.sessionAnswer = {
      kind: 'error',
      status: 503,
      code: 'at_capacity',
      message: 'all agents are busy; try again shortly',
    };
    const page = await browser.open('<parley-voice persona="stand-in"></parley-voice>');
    await part(page, 'launcher').click();
    await waitForState(page, 'error');

    assert.deepEqual(await detailsOf(page, 'parley-error'), [
      { code: 'at_capacity', message: en.errors.at_capacity },
    ]);
    assert.equal(await part(page, 'error').textContent(), en.errors.at_capacity);
    assert.ok(
      !(await statesOf(page)).includes('waiting-for-agent'),
      'no room is joined to wait for an agent',
    );
    // An agent is free again: the retry button (keyboard-operable) starts a new call.
    browser.server.sessionAnswer = { kind: 'session' };
    const retry = part(page, 'retry-button');
    assert.equal((await retry.textContent())?.trim(), en.retry);
    await retry.focus();
    await page.keyboard.press('Enter');
    await waitForState(page, 'waiting-for-agent');
  });

  test('when the room connection drops during the conversation, then the call fails with connection_lost', async () => {
    const page = await browser.open('<parley-voice persona="stand-in"></parley-voice>');
    await part(page, 'launcher').click();
    await waitForState(page, 'waiting-for-agent');
    await page.evaluate(() => window.parleyStandIn.agentJoins('listening'));
    await waitForState(page, 'listening');
    await page.evaluate(() => window.parleyStandIn.dropConnection());
    await waitForState(page, 'error');

    assert.deepEqual(await detailsOf(page, 'parley-error'), [
      { code: 'connection_lost', message: en.errors.connection_lost },
    ]);
    assert.equal(await part(page, 'error').textContent(), en.errors.connection_lost);
    assert.deepEqual(await detailsOf(page, 'parley-ended'), [
      { reason: 'error', roomName: 'room-1' },
    ]);
  });
});
