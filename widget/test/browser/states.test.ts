import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { en } from '../../src/i18n/en.js';
import { useStandInBrowser } from './support/stand-in-browser.js';
import { detailsOf, part, statesOf, waitForState } from './support/widget-page.js';

const browser = useStandInBrowser();

describe('<parley-voice> states, against a stand-in session', () => {
  test('a voice call goes idle → requesting microphone → connecting → waiting for the agent → listening ⇄ thinking ⇄ speaking → ended, and each state is shown', async () => {
    const page = await browser.open('<parley-voice persona="stand-in"></parley-voice>');
    const status = part(page, 'status');
    assert.equal(await page.locator('parley-voice').getAttribute('state'), 'idle');
    assert.equal(await part(page, 'panel').count(), 0, 'no panel before a call');

    await part(page, 'launcher').click();
    await waitForState(page, 'waiting-for-agent');
    assert.deepEqual(await statesOf(page), [
      'requesting-microphone',
      'connecting',
      'waiting-for-agent',
    ]);
    assert.equal(await status.textContent(), en.status['waiting-for-agent']);
    assert.deepEqual(browser.server.sessionRequests, [{ persona: 'stand-in' }]);
    assert.deepEqual(await page.evaluate(() => window.parleyStandIn.joinedWith), {
      url: 'wss://livekit.stand-in.invalid',
      token: 'stand-in-token:visitor-1',
    });
    assert.equal(await page.evaluate(() => window.parleyStandIn.publishedTracks), 1);
    assert.deepEqual(await detailsOf(page, 'parley-connected'), [
      { roomName: 'room-1', identity: 'visitor-1' },
    ]);

    await page.evaluate(() => window.parleyStandIn.agentJoins('listening'));
    await waitForState(page, 'listening');
    assert.equal(await status.textContent(), en.status.listening);
    assert.equal(await part(page, 'meters').count(), 1, 'the level meters show in conversation');
    for (const state of ['thinking', 'speaking', 'listening'] as const) {
      await page.evaluate((next) => window.parleyStandIn.setAgentState(next), state);
      await page.waitForFunction(
        (next) => document.querySelector('parley-voice')?.getAttribute('state') === next,
        state,
      );
      assert.equal(await status.textContent(), en.status[state]);
    }

    await page.evaluate(() => window.parleyStandIn.agentLeaves());
    await waitForState(page, 'ended');
    assert.deepEqual(await statesOf(page), [
      'requesting-microphone',
      'connecting',
      'waiting-for-agent',
      'listening',
      'thinking',
      'speaking',
      'listening',
      'ended',
    ]);
    assert.equal(await status.textContent(), en.status.ended);
    assert.deepEqual(await detailsOf(page, 'parley-ended'), [
      { reason: 'agent', roomName: 'room-1' },
    ]);
    assert.equal(await part(page, 'end-button').count(), 0, 'nothing left to hang up');
    assert.equal(await part(page, 'launcher').count(), 1, 'a new call can start');
  });

  test('a text-only call skips the microphone: connecting → waiting for the agent → "Your turn", nothing published', async () => {
    const page = await browser.open('<parley-voice persona="stand-in" text-only></parley-voice>');
    await part(page, 'launcher').click();
    await waitForState(page, 'waiting-for-agent');
    await page.evaluate(() => window.parleyStandIn.agentJoins('listening'));
    await waitForState(page, 'listening');

    assert.deepEqual(await statesOf(page), ['connecting', 'waiting-for-agent', 'listening']);
    assert.equal(await page.evaluate(() => window.parleyStandIn.publishedTracks), 0);
    assert.equal(await part(page, 'status').textContent(), en.textReady);
    assert.equal(await part(page, 'meters').count(), 0, 'no level meters without a microphone');
  });

  test('when the visitor clicks "End call", the call ends with reason "visitor" and the room is left', async () => {
    const page = await browser.open('<parley-voice persona="stand-in"></parley-voice>');
    await part(page, 'launcher').click();
    await waitForState(page, 'waiting-for-agent');
    await page.evaluate(() => window.parleyStandIn.agentJoins('speaking'));
    await waitForState(page, 'speaking');

    await part(page, 'end-button').click();
    await waitForState(page, 'ended');
    assert.deepEqual(await detailsOf(page, 'parley-ended'), [
      { reason: 'visitor', roomName: 'room-1' },
    ]);
    assert.equal(await page.locator('parley-voice').getAttribute('state'), 'ended');
  });

  test('a cancelled parley-request-start starts nothing', async () => {
    const page = await browser.open('<parley-voice persona="stand-in"></parley-voice>');
    await page.evaluate(() =>
      document.addEventListener('parley-request-start', (event) => event.preventDefault()),
    );
    await part(page, 'launcher').click();
    await page.waitForFunction(() =>
      window.parleyLog.some((event) => event.type === 'parley-request-start'),
    );
    assert.deepEqual(await statesOf(page), []);
    assert.deepEqual(browser.server.sessionRequests, []);
  });

  test('when the browser blocks the agent\'s sound, then "Turn on sound" appears, and a click on it turns sound on', async () => {
    const page = await browser.open('<parley-voice persona="stand-in"></parley-voice>');
    await part(page, 'launcher').click();
    await waitForState(page, 'waiting-for-agent');
    await page.evaluate(() => window.parleyStandIn.agentJoins('speaking'));
    await waitForState(page, 'speaking');
    assert.equal(await part(page, 'audio-button').count(), 0, 'sound plays: no button');

    await page.evaluate(() => window.parleyStandIn.blockAudioPlayback());
    const button = part(page, 'audio-button');
    await button.waitFor();
    assert.equal((await button.textContent())?.trim(), en.turnOnSound);
    await button.click();
    await button.waitFor({ state: 'detached' });
    assert.equal(await page.locator('parley-voice').getAttribute('state'), 'speaking');
  });
});
