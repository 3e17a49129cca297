import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  asksIfAI,
  isCancel,
  isGoodbye,
  saysPhrase,
  wantsBooking,
  wantsCallback,
  wantsLead,
  wantsOptOut,
} from './intents.js';

describe('intents', () => {
  test('questions about talking to a machine are recognised; requests for a person are not', () => {
    for (const text of [
      'Am I talking to a robot?',
      'are you a real person',
      'is this an AI',
      'are you human',
      'wait, am I speaking with a machine?',
    ]) {
      assert.ok(asksIfAI(text), text);
    }
    for (const text of ['I want to talk to a real person', 'are you open on sundays']) {
      assert.ok(!asksIfAI(text), text);
    }
  });

  test('goodbyes and cancellations are recognised', () => {
    assert.ok(isGoodbye('ok thanks, bye'));
    assert.ok(isGoodbye("that's all"));
    assert.ok(!isGoodbye('what time do you close'));
    assert.ok(isCancel('never mind'));
    assert.ok(isCancel('actually, cancel that'));
    assert.ok(!isCancel('can I change my order'));
  });

  test('interest in buying starts lead capture', () => {
    for (const text of [
      "I'm interested in your services",
      'can I get a quote',
      'what is the pricing for my business',
      'I want to sign up',
      'can someone contact me',
    ]) {
      assert.ok(wantsLead(text), text);
    }
    assert.ok(!wantsLead('where are you located'));
  });

  test('asking for an appointment starts booking', () => {
    for (const text of [
      'I want to book an appointment',
      'can I schedule a call',
      'make a booking',
    ]) {
      assert.ok(wantsBooking(text), text);
    }
    assert.ok(!wantsBooking('can someone call me back'));
  });

  test('asking never to be called again is an opt-out, typed or as an offline recogniser writes it', () => {
    for (const text of [
      "Please don't call me again.",
      'dont call me again',
      'do not call me',
      'please do not call me',
      'never call me again',
      "don't ever call this number again",
      'Stop calling me!',
      'can you stop calling',
      'take me off your list',
      'remove me from your calling list',
      'please remove my number from your list',
      'put me on your do not call list',
      "I don't want any more calls",
      'lose my number',
    ]) {
      assert.ok(wantsOptOut(text), text);
    }
    for (const text of [
      "don't call me before noon",
      'do not call me at work, call me at home',
      'call me back tomorrow',
      'what is on your list of services',
      "don't worry about it",
    ]) {
      assert.ok(!wantsOptOut(text), text);
    }
  });

  test('asking to be called back is a callback request; declining one, or calling back oneself, is not', () => {
    for (const text of [
      'call me back tomorrow at three',
      'Can you call me later at 5 pm?',
      'call me on friday morning',
      'could you ring me back in an hour',
      'can I get a call back',
      'please call me tomorrow',
      'i would like a callback next week',
    ]) {
      assert.ok(wantsCallback(text), text);
    }
    for (const text of [
      "don't call me back",
      "no need to call me back, I'll call you",
      "I'll call back later",
      'you can call me at five five five one two three four',
      'what are your opening hours',
    ]) {
      assert.ok(!wantsCallback(text), text);
    }
  });

  test('a configured phrase matches with other words between and inflected', () => {
    assert.ok(saysPhrase("I'd like to speak with a human please", 'speak to a human'));
    assert.ok(saysPhrase('can I track my orders', 'track my order'));
  });

  test('a phrase of two topic words also matches through everyday synonyms', () => {
    assert.ok(saysPhrase('can I talk to a person', 'speak to a human'));
  });

  test('a phrase does not match words out of order, or a one-word phrase by synonym', () => {
    assert.ok(!saysPhrase('can someone contact me', 'speak to a human'));
    assert.ok(!saysPhrase('is there someone there', 'operator'));
    assert.ok(saysPhrase('operator!', 'operator'));
  });
});
