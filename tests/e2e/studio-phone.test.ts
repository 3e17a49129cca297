/**
 * The studio's phone pages in Chromium against the real stack: numbers assigned to personas (and
 * what LiveKit then holds), outbound trunks, the do-not-call list, the dial policy, "call a
 * number" refused by the guards, the persona editor's phone fields, and a phone call's record.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DialPolicy, Persona } from '@parley/contracts';
import { openStudio } from '../support/browser.js';
import { admin, eventually, putPersona } from '../support/calls.js';
import { livekitClients } from '../support/phone-calls.js';
import { SipPhone } from '../support/sip-phone.js';
import { personaOf, testStack, type TestStack } from '../support/stack-env.js';
import { axeViolations } from '../support/widget-page.js';

const SCREENSHOTS = path.resolve(import.meta.dirname, '../artifacts/screenshots');
/** Unique per run: the suite may share a stack (and its database) with earlier runs. */
const RUN = Date.now().toString(36);
const PERSONA_ID = `studio-phone-${RUN}`;
const DIGITS = String(Date.now() % 10_000_000).padStart(7, '0');
const NUMBER = `+1555${DIGITS}`;
const DO_NOT_CALL = `+1556${DIGITS}`;
const TRUNK = `studio-${RUN}`;

let stack: TestStack;
let browser: Browser;
let page: Page;
let base: Persona;

before(async () => {
  stack = await testStack();
  base = await personaOf(stack);
  // no business hours: they would be its calling hours, and the suite may run on a Sunday
  await putPersona(stack, {
    ...base,
    id: PERSONA_ID,
    name: 'Studio phone',
    businessHours: undefined,
  });
  await mkdir(SCREENSHOTS, { recursive: true });
  ({ browser, page } = await openStudio(stack.url, stack.secrets.adminKey));
});

after(async () => {
  await browser?.close();
  await stack?.release();
});

function phoneView() {
  return page.locator('#view-phone');
}

async function openPhone(): Promise<void> {
  await page.goto(`${stack.url}/#/phone`);
  // a fresh load: going to the address already shown would not load the view again
  await page.reload();
  await phoneView().getByRole('heading', { level: 2, name: 'Phone' }).waitFor();
  // every section has loaded: the dial policy's form stands where "Loading…" was
  await phoneView().getByRole('form', { name: 'Dial policy' }).waitFor();
}

async function assertAccessible(where: string): Promise<void> {
  const violations = await axeViolations(page, 'body');
  assert.deepEqual(violations, [], `axe found problems in ${where}:\n${violations.join('\n')}`);
}

async function inboundTrunksFor(number: string) {
  const trunks = await livekitClients(stack).sip.listSipInboundTrunk();
  return trunks.filter((trunk) => trunk.numbers.includes(number));
}

describe('the studio’s phone pages in Chromium', () => {
  test('a number is assigned to a persona with its carrier addresses (LiveKit holds a restricted trunk), then unassigned', async () => {
    await openPhone();
    const form = phoneView().getByRole('form', { name: 'Assign a number' });

    // a number that is not E.164 is stopped in the page, beside its field
    await form.getByLabel('Number', { exact: true }).fill('555-0100');
    await form.getByRole('button', { name: 'Assign number' }).click();
    await form.getByText('an E.164 number such as +14155550123').waitFor();
    assert.equal(
      await form.getByLabel('Number', { exact: true }).getAttribute('aria-invalid'),
      'true',
    );

    await form.getByLabel('Number', { exact: true }).fill(NUMBER);
    await form.getByLabel('Persona').selectOption(PERSONA_ID);
    await form.getByLabel('Label').fill('Studio line');
    await form.getByLabel('Allowed carrier addresses').fill('127.0.0.1/32\n10.0.0.0/8');
    await form.getByRole('button', { name: 'Assign number' }).click();
    await form
      .getByRole('status')
      .filter({ hasText: `${NUMBER} now answers with persona ${PERSONA_ID}.` })
      .waitFor();

    const row = phoneView()
      .getByRole('table', { name: 'Numbers and the personas that answer them' })
      .getByRole('row')
      .filter({ hasText: NUMBER });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`Studio line\\s+${PERSONA_ID}`));
    assert.match(await row.innerText(), /127\.0\.0\.1\/32, 10\.0\.0\.0\/8/);

    const stored = await admin<{ data: Array<{ e164: string; personaId: string }> }>(
      stack,
      '/v1/phone-numbers',
    );
    assert.equal(stored.data.find((n) => n.e164 === NUMBER)?.personaId, PERSONA_ID);
    const [trunk, ...more] = await inboundTrunksFor(NUMBER);
    assert.equal(more.length, 0, 'one inbound trunk for the number');
    assert.deepEqual([...(trunk?.allowedAddresses ?? [])].sort(), ['10.0.0.0/8', '127.0.0.1/32']);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'studio-phone.png'), fullPage: true });
    await assertAccessible('the Phone view');

    await row.getByRole('button', { name: `Unassign ${NUMBER}` }).click();
    await phoneView()
      .getByRole('status')
      .filter({ hasText: `Unassign: ${NUMBER} — done.` })
      .waitFor();
    await row.waitFor({ state: 'detached' });
    const left = await admin<{ data: Array<{ e164: string }> }>(stack, '/v1/phone-numbers');
    assert.equal(
      left.data.some((n) => n.e164 === NUMBER),
      false,
    );
    assert.deepEqual(await inboundTrunksFor(NUMBER), [], 'the trunk is gone from LiveKit');
  });

  test('trunks, the do-not-call list and the dial policy are stored as typed, and "call a number" is refused by them with the server’s reason', async () => {
    const before = await admin<DialPolicy>(stack, '/v1/dial-policy');
    try {
      await openPhone();
      const trunkForm = phoneView().getByRole('form', { name: 'Add an outbound trunk' });
      await trunkForm.getByLabel('Name', { exact: true }).fill(TRUNK);
      await trunkForm.getByLabel('Carrier address').fill('127.0.0.1:15999');
      await trunkForm.getByLabel('Caller-id numbers').fill('+15550400001');
      await trunkForm.getByLabel('Username').fill('parley');
      await trunkForm.getByLabel('Password').fill('a-trunk-secret');
      await trunkForm.getByRole('button', { name: 'Save trunk' }).click();
      await trunkForm
        .getByRole('status')
        .filter({ hasText: `Trunk ${TRUNK} saved` })
        .waitFor();
      const trunkRow = phoneView()
        .getByRole('table', { name: 'Outbound trunks' })
        .getByRole('row')
        .filter({ hasText: TRUNK });
      assert.match(await trunkRow.innerText(), /127\.0\.0\.1:15999\s+\+15550400001\s+udp\s+parley/);
      assert.doesNotMatch(await phoneView().innerText(), /a-trunk-secret/);

      const dncForm = phoneView().getByRole('form', { name: 'Add to the do-not-call list' });
      await dncForm.getByLabel('Number').fill(DO_NOT_CALL);
      await dncForm.getByLabel('Reason').fill('asked us not to call');
      await dncForm.getByRole('button', { name: 'Add number' }).click();
      await dncForm.getByRole('status').filter({ hasText: 'will not be called' }).waitFor();
      await phoneView()
        .getByRole('table', { name: 'Numbers never dialled' })
        .getByRole('row')
        .filter({ hasText: DO_NOT_CALL })
        .filter({ hasText: 'asked us not to call' })
        .waitFor();

      const policyForm = phoneView().getByRole('form', { name: 'Dial policy' });
      await policyForm.getByLabel('Allowed prefixes').fill('+1555\n+1556\n+33');
      await policyForm.getByLabel('Most phone calls at once').fill('7');
      await policyForm.getByRole('button', { name: 'Save dial policy' }).click();
      await policyForm
        .getByRole('status')
        .filter({ hasText: 'Saved: +1555, +1556, +33' })
        .waitFor();
      assert.deepEqual(await admin<DialPolicy>(stack, '/v1/dial-policy'), {
        allowedPrefixes: ['+1555', '+1556', '+33'],
        maxConcurrentPhoneCalls: 7,
      });

      const callForm = phoneView().getByRole('form', { name: 'Call a number' });
      // the trunk list is read when the view opens: open it again to offer the new trunk
      await openPhone();
      await callForm.getByLabel('Persona').selectOption(PERSONA_ID);
      await callForm.getByLabel('Trunk').selectOption(TRUNK);
      await callForm.getByLabel('Number to call').fill(DO_NOT_CALL);
      await callForm.getByRole('button', { name: 'Call', exact: true }).click();
      await callForm
        .getByRole('alert')
        .filter({ hasText: /^do_not_call: / })
        .waitFor();
      await callForm.getByLabel('Number to call').fill('+442079460958');
      await callForm.getByRole('button', { name: 'Call', exact: true }).click();
      await callForm
        .getByRole('alert')
        .filter({ hasText: /^destination_not_allowed: / })
        .waitFor();
      await assertAccessible('the Phone view with its refusals');

      await trunkRow.getByRole('button', { name: `Remove trunk ${TRUNK}` }).click();
      await trunkRow.waitFor({ state: 'detached' });
      await phoneView()
        .getByRole('button', { name: `Remove ${DO_NOT_CALL}` })
        .click();
      await phoneView()
        .getByRole('status')
        .filter({ hasText: `Remove: ${DO_NOT_CALL}` })
        .waitFor();
      const trunks = await admin<{ data: Array<{ name: string }> }>(stack, '/v1/outbound-trunks');
      const dnc = await admin<{ data: Array<{ e164: string }> }>(stack, '/v1/do-not-call');
      assert.deepEqual(
        [trunks.data.some((t) => t.name === TRUNK), dnc.data.some((d) => d.e164 === DO_NOT_CALL)],
        [false, false],
      );
    } finally {
      await admin(stack, '/v1/dial-policy', { method: 'PUT', body: JSON.stringify(before) });
    }
  });

  test('the persona editor keeps the phone settings and the warm transfer fields as typed', async () => {
    await page.goto(`${stack.url}/#/personas/${PERSONA_ID}`);
    const form = page.locator('form.persona-form');
    await form.locator('summary', { hasText: 'Phone' }).click();
    await form.getByRole('button', { name: 'Add menu key' }).click();
    const key = form.getByRole('group', { name: 'Menu key 1' });
    await key.getByLabel('Key', { exact: true }).selectOption('2');
    await key.getByLabel('Means').fill('What are your opening hours?');
    await form.getByLabel('Digit string ends after (ms)').fill('3000');
    await form.getByLabel('Longest digit string').fill('8');
    await form.getByLabel('Web visitors may continue the call on their phone').check();
    await form
      .getByLabel('Said when a caller asks not to be called again')
      .fill('Noted: no more calls from us. Goodbye!');
    await form.getByLabel('Call to remind of the appointments this persona books').check();
    await form.getByLabel('Minutes before the appointment').fill('120');
    await form.locator('summary', { hasText: 'Escalation and handoffs' }).click();
    await form.getByLabel('Transfer to').fill('+15550500001');
    await form.getByLabel('Transfer mode').selectOption('warm');
    await form.getByLabel('Warm transfer rings for (s)').fill('15');
    await form
      .getByLabel('If the target does not pick up')
      .fill('Nobody is free; shall we call you back?');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved a new version.' }).waitFor();

    const saved = await admin<Persona>(stack, `/v1/personas/${PERSONA_ID}`);
    assert.deepEqual(saved.phone, {
      dtmfMenu: [{ digit: '2', intent: 'What are your opening hours?' }],
      digitTimeoutMs: 3000,
      maxDigits: 8,
      continueOnPhone: true,
      optOutLine: 'Noted: no more calls from us. Goodbye!',
      appointmentReminders: { enabled: true, minutesBefore: [120] },
    });
    assert.deepEqual(
      [
        saved.escalation.transferTarget,
        saved.escalation.mode,
        saved.escalation.ringTimeoutSeconds,
        saved.escalation.noAnswerLine,
      ],
      ['+15550500001', 'warm', 15, 'Nobody is free; shall we call you back?'],
    );
  });

  test('a phone call’s record shows the narrowband warning first, then direction, caller, status, legs and keypad digits', async () => {
    const agent = async <T>(route: string, body: unknown): Promise<T> => {
      const res = await fetch(`${stack.url}${route}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${stack.secrets.agentKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
      const answer = (await res.json()) as T;
      assert.ok(res.ok, `${route} → ${res.status} ${JSON.stringify(answer)}`);
      return answer;
    };
    const caller = `+1557${DIGITS}`;
    const identity = `sip_${caller}`;
    const call = await agent<{ id: string }>('/internal/calls', {
      personaId: PERSONA_ID,
      roomName: `studio-phone-call-${RUN}`,
      participantIdentity: identity,
      channel: 'phone',
      caller: { phoneNumber: caller },
      dialedNumber: NUMBER,
      direction: 'inbound',
      phoneStatus: 'answered',
    });
    await agent(`/internal/calls/${call.id}/legs`, {
      kind: 'phone',
      identity,
      phoneNumber: caller,
      direction: 'inbound',
      status: 'answered',
    });
    await agent(`/internal/calls/${call.id}/turns`, {
      key: `${RUN}:1`,
      turn: { userText: 'my order number', dtmf: '4711#', agentText: 'Thank you.' },
    });
    await agent(`/internal/calls/${call.id}/warnings`, {
      code: 'narrowband_audio',
      message: 'The caller’s audio is PCMU (8 kHz): offline speech recognition will be poor.',
    });

    await page.goto(`${stack.url}/#/calls/${encodeURIComponent(call.id)}`);
    const detail = page.locator('article.call-detail');
    const warning = detail.getByRole('alert').filter({ hasText: 'Narrowband audio' });
    await warning.waitFor();
    assert.match(await warning.innerText(), /PCMU \(8 kHz\)/);
    // shown first: before the call's facts
    const order = await detail.evaluate((article) => {
      const warnings = article.querySelector('.call-warnings');
      const facts = article.querySelector('dl.facts');
      return warnings && facts
        ? warnings.compareDocumentPosition(facts) & Node.DOCUMENT_POSITION_FOLLOWING
        : 0;
    });
    assert.ok(order > 0, 'the warning comes before the facts');

    const facts = await detail.locator('dl.facts').innerText();
    for (const fact of [/Channel\s+phone/, /Direction\s+inbound/, /Phone status\s+answered/]) {
      assert.match(facts, fact);
    }
    assert.match(facts, new RegExp(`Caller\\s+\\${caller}`));
    assert.match(facts, new RegExp(`Dialed number\\s+\\${NUMBER}`));
    const leg = detail
      .getByRole('table', { name: 'Who was on the call' })
      .getByRole('row')
      .filter({ hasText: identity });
    assert.deepEqual((await leg.innerText()).split('\t').slice(0, 5), [
      'phone',
      identity,
      caller,
      'inbound',
      'answered',
    ]);
    assert.match(await detail.locator('.line-dtmf').innerText(), /Keypad\s+4711#/);
    await page.screenshot({
      path: path.join(SCREENSHOTS, 'studio-phone-call.png'),
      fullPage: true,
    });
    await assertAccessible('a phone call’s record');
  });

  test('"call a number" rings a real phone through the chosen trunk, and the call’s record shows an answered outbound phone call', async () => {
    const callee = await SipPhone.start({ number: `+1558${DIGITS}` });
    const trunk = `${TRUNK}-callee`;
    const before = await admin<DialPolicy>(stack, '/v1/dial-policy');
    try {
      await admin(stack, `/v1/outbound-trunks/${trunk}`, {
        method: 'PUT',
        body: JSON.stringify({ address: callee.address, numbers: ['+15550400002'] }),
      });
      await admin(stack, '/v1/dial-policy', {
        method: 'PUT',
        body: JSON.stringify({
          allowedPrefixes: [...new Set([...before.allowedPrefixes, '+1558'])],
          maxConcurrentPhoneCalls: Math.max(before.maxConcurrentPhoneCalls, 5),
        }),
      });
      await openPhone();
      const callForm = phoneView().getByRole('form', { name: 'Call a number' });
      await callForm.getByLabel('Persona').selectOption(PERSONA_ID);
      await callForm.getByLabel('Trunk').selectOption(trunk);
      await callForm.getByLabel('Number to call').fill(callee.number);
      await callForm.getByRole('button', { name: 'Add variable' }).click();
      const variable = callForm.getByRole('group', { name: 'Variable 1' });
      await variable.getByLabel('Name').fill('customer');
      await variable.getByLabel('Value').fill('Ada');
      await callForm.getByRole('button', { name: 'Call', exact: true }).click();
      const link = callForm.getByRole('link', { name: 'see the call' });
      const refusal = callForm.getByRole('alert');
      await link.or(refusal).waitFor();
      assert.equal(await refusal.count(), 0, await refusal.allInnerTexts().then((t) => t.join()));
      await callee.waitFor('CALL_ESTABLISHED', 30_000);

      const callId = decodeURIComponent((await link.getAttribute('href'))?.split('/').pop() ?? '');
      await eventually(
        'the answered status on the record',
        () => admin<{ phoneStatus?: string }>(stack, `/v1/calls/${encodeURIComponent(callId)}`),
        (call) => call.phoneStatus === 'answered',
        30_000,
      );
      await link.click();
      const facts = page.locator('article.call-detail dl.facts');
      await facts.waitFor();
      const text = await facts.innerText();
      for (const fact of [
        /Channel\s+phone/,
        /Direction\s+outbound/,
        /Phone status\s+answered/,
        /Variables\s+\{"customer":"Ada"\}/,
      ]) {
        assert.match(text, fact);
      }
      await page
        .getByRole('table', { name: 'Who was on the call' })
        .getByRole('row')
        .filter({ hasText: callee.number })
        .waitFor();
    } finally {
      await callee.hangup().catch(() => undefined);
      await callee.stop();
      await admin(stack, '/v1/dial-policy', { method: 'PUT', body: JSON.stringify(before) });
      await fetch(`${stack.url}/v1/outbound-trunks/${trunk}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${stack.secrets.adminKey}` },
      });
    }
  });
});
